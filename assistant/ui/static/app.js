// The assistant's page: shows the checks as they stream in from the local API, opens
// findings, saves reports, draws the history. All texts come from the server (#texts).
"use strict";

(function () {
  const { T, BOOT, $, fill, el, api } = window.assistantPage;
  const ICONS = { ok: "✓", info: "i", warning: "!", critical: "✕", unknown: "?",
    timed_out: "?", pending: "…", locked: "★" };

  // `open`: the checks whose finding the customer has opened; they stay open when their
  // row is drawn again (a new result, "Check again").
  const state = { run: null, checks: new Map(), order: [], open: new Set() };

  // ---- talking to the local API -------------------------------------------------------

  function showMessage(text, isError) {
    const box = $("message");
    box.textContent = text;
    box.classList.toggle("error", Boolean(isError));
    box.hidden = false;
  }

  // ---- dashboard ------------------------------------------------------------------------

  function statusOf(check) {
    if (check.state === "pending") return "pending";
    if (check.state === "locked") return "locked";
    return check.status;
  }

  function checkItem(check) {
    const status = statusOf(check);
    const item = el("li", { class: "check", id: "check-" + check.dom_id, "data-check": check.id,
      "data-status": status });
    const icon = el("span", { class: "icon", "aria-hidden": "true", text: ICONS[status] || "?" });
    const badge = el("span", { class: "badge", "data-status": status, text: T["status_" + status] });
    const main = el("span", { class: "check-main" },
      el("span", { class: "check-title", text: check.title }),
      check.summary ? el("span", { class: "check-summary", text: check.summary }) : null);

    if (check.state === "locked") {
      main.append(el("span", { class: "check-summary", text: fill(T.premium_would_show,
        { description: check.description }) }));
      item.append(el("div", { class: "check-row" }, icon, main, badge));
      return item;
    }
    const details = check.state === "done" ? detailsOf(check) : null;
    if (!details) {
      item.append(el("div", { class: "check-row" }, icon, main, badge));
      return item;
    }
    const toggle = el("button", { type: "button", class: "check-row", "aria-expanded": "false",
      "aria-controls": "details-" + check.dom_id },
      icon, main, badge, el("span", { class: "chevron", "aria-hidden": "true" }));
    details.id = "details-" + check.dom_id;
    const show = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      details.hidden = !open;
      if (open) state.open.add(check.id);
      else state.open.delete(check.id);
      // Other parts of the page (knowledge.js) fill what they add to a finding once seen.
      if (open) document.dispatchEvent(new CustomEvent("assistant:details", { detail: details }));
    };
    show(state.open.has(check.id));
    toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
    item.append(toggle, details);
    return item;
  }

  // A row drawn anew in place of the one that had the focus takes the focus over, so a
  // keyboard user is not dropped to the top of the page.
  function replaceKeepingFocus(old, fresh) {
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(fresh);
    if (hadFocus) focusRow(fresh);
  }

  function focusRow(item) {
    const target = item.querySelector("button.check-row") || item;
    if (target === item) item.tabIndex = -1;
    target.focus();
  }

  function detailsOf(check) {
    const parts = [];
    // The reason a check could not run is its row's summary; inside, only what it means
    // for the customer and what they can do (never the reason again).
    if (check.advice) {
      parts.push(el("div", { class: "finding" },
        el("h4", { text: T.what_to_do }), el("p", { text: check.advice })));
    }
    for (const finding of check.findings) {
      if (!finding.explanation && !finding.steps.length && !finding.quick_link) continue;
      // A finding that says "call us" gets the hotline's number from provider.js.
      const box = el("div", { class: "finding", "data-severity": finding.severity,
        "data-calls-hotline": finding.calls_hotline ? "true" : null },
        el("h3", {}, el("span", { class: "badge", "data-status": finding.severity,
          text: T["status_" + finding.severity] }), document.createTextNode(finding.title)));
      if (finding.explanation) {
        box.append(el("h4", { text: T.what_it_means }), el("p", { text: finding.explanation }));
      }
      if (finding.steps.length) {
        box.append(el("h4", { text: T.what_to_do }),
          el("ol", {}, ...finding.steps.map((step) => el("li", { text: step }))));
      }
      if (finding.quick_link) box.append(...quickLink(finding.quick_link));
      // Help articles for what is not fine: filled by knowledge.js when the row is opened.
      if (finding.severity !== "ok") {
        box.append(el("div", { class: "articles", "data-finding": finding.id }));
      }
      parts.push(box);
    }
    return parts.length ? el("div", { class: "details" }, ...parts) : null;
  }

  function quickLink(link) {
    const note = el("p", { class: "link-note", role: "status" });
    const button = el("button", { type: "button", class: "button", "data-quick-link": link,
      text: T["quick_link_" + link] || link });
    button.addEventListener("click", async () => {
      try {
        const result = await api("POST", "/api/quick-links/" + encodeURIComponent(link));
        note.textContent = result.opened ? T.opening_settings : T.no_settings_page;
      } catch (error) {
        note.textContent = error.message; // the lock's reason, or the general sentence
      }
    });
    return [button, note];
  }

  function renderArea(area) {
    const section = document.querySelector(`[data-area="${area}"]`);
    if (!section) return;
    const checks = state.order.map((id) => state.checks.get(id)).filter((c) => c.area === area);
    const list = section.querySelector(".checks");
    const focused = [...list.children].find((item) => item.contains(document.activeElement));
    const fresh = checks.map(checkItem);
    list.replaceChildren(...fresh);
    const twin = focused && fresh.find((item) => item.id && item.id === focused.id);
    if (twin) focusRow(twin);
    summariseArea(area);
  }

  function summariseArea(area) {
    const section = document.querySelector(`[data-area="${area}"]`);
    const list = section.querySelector(".checks");
    const checks = state.order.map((id) => state.checks.get(id)).filter((c) => c.area === area);
    const done = checks.filter((c) => c.state === "done");
    const worst = worstOf(done.map((c) => c.status));
    let status = "pending";
    if (done.length === checks.filter((c) => c.state !== "locked").length) {
      status = worst || (checks.length ? "locked" : "ok");
    }
    if (!checks.length && !list.children.length) {
      list.append(el("li", { class: "check muted", text: T.area_empty }));
    }
    // How to unlock (and why it is locked) is said once per area, under its locked checks.
    const unlock = section.querySelector(".unlock-note");
    const locked = checks.find((c) => c.state === "locked");
    if (locked) {
      // premium: the gate's reason, unless it is simply "not unlocked yet"
      const why = locked.lock_reason && locked.lock_reason !== "no_entitlement"
        ? locked.lock_text : T.premium_locked + ". " + T.premium_unlock;
      const note = el("p", { class: "unlock-note", "data-reason": locked.lock_reason },
        el("span", { class: "badge", "data-status": "locked", text: T.premium_badge }),
        el("span", { text: why }),
        el("a", { class: "note-link", href: "#premium", text: T.premium_go_unlock }));
      if (unlock) unlock.replaceWith(note);
      else section.append(note);
    } else if (unlock) {
      unlock.remove();
    }
    const badge = section.querySelector(".area-head .badge");
    badge.dataset.status = status;
    badge.textContent = T["status_" + status];
  }

  const RANK = { ok: 0, info: 1, unknown: 2, timed_out: 2, warning: 3, critical: 4 };
  function worstOf(statuses) {
    let worst = null;
    for (const status of statuses) {
      if (status && (worst === null || RANK[status] > RANK[worst])) worst = status;
    }
    return worst;
  }

  function renderOverall() {
    const run = state.run;
    if (!run) return;
    const overall = $("overall");
    const light = run.finished ? run.light : "running";
    overall.dataset.light = light;
    $("light-text").textContent = T["light_" + light]; // its shape is shown by the CSS
    $("overall-title").textContent = run.finished ? T["overall_" + light] : T.overall_running;
    $("overall-text").textContent = run.finished ? T["overall_" + light + "_text"]
      : T.overall_running_text;
    const combined = $("overall-combined");
    combined.replaceChildren(...run.combined.map((c) => el("li", { "data-combined": c.id,
      text: c.text })));
    combined.hidden = !run.combined.length;
    $("progress-text").textContent = fill(T.progress, { done: run.done, total: run.total });
    $("progress-bar").style.width = (run.total ? (100 * run.done) / run.total : 0) + "%";
    const checkedAt = $("checked-at");
    checkedAt.hidden = !run.finished_text;
    if (run.finished_text) checkedAt.textContent = fill(T.checked_at, { date: run.finished_text });
    const notChecked = $("not-checked");
    notChecked.hidden = !(run.finished && run.not_checked);
    notChecked.textContent = fill(T.not_checked_note, { count: run.not_checked });
    // Marked unavailable rather than disabled: a disabled button drops the keyboard focus.
    for (const id of ["rerun", "save-html", "save-pdf"]) {
      $(id).setAttribute("aria-disabled", String(!run.finished));
    }
    document.body.dataset.run = run.finished ? "finished" : "running";
  }

  function applySnapshot(snapshot) {
    state.run = snapshot.run;
    state.checks = new Map(snapshot.checks.map((check) => [check.id, check]));
    state.order = snapshot.checks.map((check) => check.id);
    for (const area of BOOT.areas) renderArea(area);
    renderOverall();
  }

  function applyCheck(update) {
    // Only this check's row is replaced: a finding the customer has open stays open.
    const check = update.check;
    state.checks.set(check.id, check);
    state.run = update.run;
    const row = $("check-" + check.dom_id);
    if (row) replaceKeepingFocus(row, checkItem(check));
    else renderArea(check.area);
    summariseArea(check.area);
    renderOverall();
  }

  function listen() {
    const source = new EventSource("/api/events");
    let failures = 0;
    source.addEventListener("snapshot", (event) => { failures = 0; applySnapshot(JSON.parse(event.data)); });
    source.addEventListener("check", (event) => applyCheck(JSON.parse(event.data)));
    source.addEventListener("finished", (event) => applySnapshot(JSON.parse(event.data)));
    source.addEventListener("closing", () => source.close());
    source.onerror = () => {
      failures += 1;
      if (failures >= 3) showMessage(T.connection_lost, true);
    };
  }

  // ---- actions --------------------------------------------------------------------------
  const unavailable = (id) => $(id).getAttribute("aria-disabled") === "true";

  async function rerun() {
    if (unavailable("rerun")) return; // still running
    $("rerun").setAttribute("aria-disabled", "true"); // at once: a second press starts nothing
    $("message").hidden = true;
    try {
      await api("POST", "/api/run");
    } catch (error) {
      $("rerun").setAttribute("aria-disabled", String(!(state.run && state.run.finished)));
      showMessage(T.error_generic, true);
    }
  }

  async function save(format) {
    if (!state.run || !state.run.finished || unavailable("save-" + format)) {
      return showMessage(T.save_wait);
    }
    if (BOOT.mode === "window") {
      // The desktop window has no download bar: the report goes to the Downloads folder.
      try {
        const result = await api("POST", "/api/report/save", { format });
        showMessage(fill(T.saved_to, { path: result.path }));
      } catch (error) {
        showMessage(T.save_failed, true);
      }
      return;
    }
    const link = el("a", { href: "/api/report/export?format=" + format, download: "" });
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function changeLanguage(event) {
    try {
      await api("POST", "/api/settings", { language: event.target.value });
      window.location.reload();
    } catch (error) {
      showMessage(T.error_generic, true);
    }
  }

  async function quit() {
    try {
      await api("POST", "/api/quit");
    } finally {
      document.body.replaceChildren(el("p", { class: "card closed", text: T.closed }));
    }
  }

  // ---- history --------------------------------------------------------------------------
  let chartLibrary = null;
  function loadChartLibrary() {
    // Chart.js is loaded only when the history is opened, so the first start stays quick.
    chartLibrary = chartLibrary || new Promise((resolve, reject) => {
      const script = el("script", { src: "/static/vendor/chart.umd.min.js" });
      script.onload = () => resolve(window.Chart);
      script.onerror = reject;
      document.head.append(script);
    });
    return chartLibrary;
  }

  async function showHistory() {
    let Chart, history;
    try {
      [Chart, history] = await Promise.all([loadChartLibrary(), api("GET", "/api/history")]);
    } catch (error) {
      return showMessage(T.error_generic, true);
    }
    const entries = history.entries;
    $("history-empty").hidden = entries.length > 0;
    $("charts").hidden = entries.length === 0;
    $("history-count").textContent = entries.length ? fill(T.history_reports, { count: entries.length }) : "";
    const labels = entries.map((entry) => entry.created_text);
    const locked = new Set(history.locked_metrics);
    for (const canvas of document.querySelectorAll("#charts canvas")) {
      const isLocked = locked.has(canvas.dataset.metric);
      canvas.closest(".chart").dataset.locked = String(isLocked);
      canvas.parentElement.querySelector(".chart-locked").hidden = !isLocked;
      const values = entries.map((entry) => entry[canvas.dataset.metric]);
      const existing = Chart.getChart(canvas);
      if (existing) {
        existing.data.labels = labels;
        existing.data.datasets[0].data = values;
        existing.update();
        continue;
      }
      const percent = canvas.dataset.metric.endsWith("_percent");
      new Chart(canvas, {
        type: "line",
        data: { labels, datasets: [{
          label: document.getElementById(canvas.getAttribute("aria-labelledby")).textContent,
          data: values, borderColor: "#0a4f9c", backgroundColor: "rgba(10, 79, 156, 0.12)",
          fill: true, cubicInterpolationMode: "monotone", pointRadius: 3, spanGaps: true }] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, suggestedMax: percent ? 100 : undefined,
            max: percent ? 100 : undefined }, x: { ticks: { maxRotation: 0, autoSkip: true } } },
        },
      });
    }
  }

  function showView(view) {
    if (!$("view-" + view)) view = "dashboard";
    for (const tab of document.querySelectorAll(".tab")) {
      if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    for (const section of document.querySelectorAll("main > section[id^='view-']")) {
      section.hidden = section.id !== "view-" + view;
    }
    if (view === "history") showHistory();
    // Other parts of the page (premium.js) fill their views when opened.
    document.dispatchEvent(new CustomEvent("assistant:view", { detail: view }));
  }
  const viewOfHash = () => window.location.hash.slice(1) || "dashboard";

  // ---- start ----------------------------------------------------------------------------
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      window.location.hash = tab.dataset.view === "dashboard" ? "" : tab.dataset.view;
      showView(tab.dataset.view);
    });
  }
  window.addEventListener("hashchange", () => showView(viewOfHash()));
  $("rerun").addEventListener("click", rerun);
  $("save-html").addEventListener("click", () => save("html"));
  $("save-pdf").addEventListener("click", () => save("pdf"));
  $("language").addEventListener("change", changeLanguage);
  if ($("quit")) $("quit").addEventListener("click", quit);
  listen();
  if (viewOfHash() !== "dashboard") showView(viewOfHash());
})();
