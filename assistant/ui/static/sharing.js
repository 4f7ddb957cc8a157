// Screen sharing on the customer's side: who watches now with "Stop sharing", "Take back
// control" and the windows to hide (the live help page and the indicator window), why a
// view was not possible, the list of what was shared with whom, and the privacy list.
// Ctrl+Shift+X stops all sharing wherever the assistant's pages have the focus.
"use strict";

(function () {
  const { T, $, el, api } = window.assistantPage;
  const indicator = document.body.dataset.page === "indicator";
  let current = null; // the conversation a report could go to
  let dismissedNotice = "";

  function showText(id, text) {
    const box = $(id);
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  async function post(path, body, errorId) {
    try {
      await api("POST", path, body);
      showText(errorId, "");
      return true;
    } catch (error) {
      if (error.status !== 409 || errorId === "share-notice-error") showText(errorId, error.message);
      return false; // 409 of sharing: it is over already, the view follows
    }
  }

  function renderNow(sharing) {
    const card = $("share-now");
    card.hidden = !sharing.active;
    showText("share-idle", sharing.active ? "" : T.share_idle);
    if (!sharing.active) return;
    $("share-now-lines").replaceChildren(...sharing.lines.map((line) => el("li", { text: line })));
    $("share-take-back").hidden = !sharing.control;
    $("share-windows-title").hidden = sharing.windows.length === 0;
    const focused = document.activeElement && document.activeElement.dataset.window;
    $("share-windows").replaceChildren(...sharing.windows.map((win) => {
      const button = el("button", {
        class: "button small", type: "button", text: win.hidden ? T.share_show : T.share_hide,
        "aria-label": (win.hidden ? T.share_show_label : T.share_hide_label).replace("{title}", win.title),
      });
      button.dataset.window = win.id;
      button.addEventListener("click", () => post(
        "/api/live/sharing/windows/" + encodeURIComponent(win.id), { hidden: !win.hidden }, "share-error"));
      const item = el("li", { class: win.hidden ? "hidden-window" : "" },
        el("span", { text: win.title }),
        win.hidden ? el("span", { class: "badge", text: T.share_hidden_badge }) : null,
        button);
      return item;
    }));
    if (focused) { // the list was redrawn: the focus stays on the same window's button
      const again = document.querySelector(`#share-windows [data-window="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function renderNotice(view) {
    const text = view.notice ? view.notice.text : "";
    const box = $("share-notice");
    if (!box) return;
    box.hidden = !text || text === dismissedNotice;
    $("share-notice-text").textContent = text;
    const open = (view.conversations || []).some((c) => c.id === view.current && c.open);
    current = open ? view.current : null;
    $("share-notice-report").hidden = current === null;
  }

  function renderHistory(rows) {
    if (!$("share-history")) return;
    $("share-history-empty").hidden = rows.length > 0;
    $("share-history-wrap").hidden = rows.length === 0;
    $("share-history-rows").replaceChildren(...rows.map((row) => el("tr", {},
      el("td", {}, el("span", { text: row.kind }), row.device ? el("span", { class: "muted small block", text: row.device }) : null),
      el("td", {}, el("span", { text: row.who }), row.why ? el("span", { class: "muted small block", text: row.why }) : null),
      el("td", { text: row.asked }),
      el("td", { text: row.answer }),
      el("td", { text: row.stopped || "–" }))));
  }

  function render(view) {
    renderNow(view.sharing || { active: false, lines: [], windows: [] });
    if (!indicator) {
      renderNotice(view);
      renderHistory(view.history || []);
    }
  }

  // ---- the privacy list (a setting of the customer's) -----------------------------------
  async function loadTitles() {
    const result = await api("GET", "/api/privacy-titles");
    $("share-privacy-titles").value = result.titles.join("\n");
  }

  async function saveTitles(titles) {
    showText("share-privacy-error", "");
    $("share-privacy-saved").textContent = "";
    try {
      const result = await api("PUT", "/api/privacy-titles", { titles });
      $("share-privacy-titles").value = result.titles.join("\n");
      $("share-privacy-saved").textContent = T.share_privacy_saved;
    } catch (error) {
      showText("share-privacy-error", error.message);
    }
  }

  function stopAll() {
    post("/api/live/sharing/stop", undefined, "share-error");
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.shiftKey && !event.altKey && event.key.toLowerCase() === "x") {
      event.preventDefault();
      stopAll();
    }
  });
  $("share-stop").addEventListener("click", stopAll);
  $("share-take-back").addEventListener("click", () => post("/api/live/sharing/take-back", undefined, "share-error"));

  if (indicator) {
    const source = new EventSource("/api/live/events");
    source.addEventListener("live", (event) => render(JSON.parse(event.data)));
    source.addEventListener("closing", () => source.close());
  } else {
    $("share-notice-dismiss").addEventListener("click", () => {
      dismissedNotice = $("share-notice-text").textContent;
      $("share-notice").hidden = true;
    });
    $("share-notice-report").addEventListener("click", async () => {
      if (current === null) return;
      const sent = await post(`/api/live/conversations/${current}/report`, undefined, "share-notice-error");
      if (!sent) return; // the reason stays beside the button
      dismissedNotice = $("share-notice-text").textContent;
      $("share-notice").hidden = true;
    });
    $("share-privacy-form").addEventListener("submit", (event) => {
      event.preventDefault();
      saveTitles($("share-privacy-titles").value.split("\n").map((t) => t.trim()).filter(Boolean));
    });
    $("share-privacy-defaults").addEventListener("click", () => saveTitles(null));
    loadTitles().catch(() => showText("share-privacy-error", T.error_generic));
  }

  window.assistantSharing = Object.freeze({ render });
})();
