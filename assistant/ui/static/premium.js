// The page's premium parts: what is unlocked, signing in, unlock codes, and the cleanup.
// All texts come from the server (#texts), like everywhere on this page; every premium
// action is checked again by the local API, so nothing here is a lock of its own.
"use strict";

(function () {
  const { T, $, fill, el, api } = window.assistantPage;

  // A refusal as the server worded it, with its details (attempts left, until when, ...).
  function showError(box, error) {
    const body = (error && error.body) || {};
    box.replaceChildren(el("p", { text: body.error || T.error_generic }),
      ...(body.details || []).map((line) => el("p", { text: line })));
    box.dataset.code = body.code || "";
    box.hidden = false;
  }

  function clear(box) {
    box.hidden = true;
    box.replaceChildren();
  }

  async function busy(button, text, work) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = text;
    try {
      return await work();
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  // ---- the premium page -----------------------------------------------------------------
  let current = null;

  async function loadStatus() {
    current = await api("GET", "/api/premium");
    renderStatus(current);
    return current;
  }

  function renderStatus(status) {
    current = status;
    $("premium-state").dataset.unlocked = String(status.unlocked);
    $("premium-state-word").textContent = status.unlocked ? T.premium_state_active
      : T.premium_state_free;
    $("premium-package").textContent = fill(T.premium_package, { tier: status.tier_name });
    const details = [];
    if (status.unlocked && status.sources.length) {
      details.push(fill(T.premium_via, { sources: status.sources.join(", ") }));
    }
    if (status.session_active && status.usable_until_text) {
      details.push(fill(T.premium_until, { date: status.usable_until_text }));
    }
    $("premium-details").textContent = details.join(" · ");
    $("premium-dot").hidden = !status.unlocked;

    // A failed refresh says when and why; it includes "cannot be reached" when offline.
    const failure = status.last_refresh_failure;
    const notice = status.notice || (!failure && status.linked && status.online === false
      ? T.premium_offline : null);
    $("premium-notice").textContent = notice || "";
    $("premium-notice").hidden = !notice;
    $("premium-refresh-failed").textContent = failure || "";
    $("premium-refresh-failed").hidden = !failure;

    if (status.linked) $("release-panel").hidden = true;
    $("account-title").textContent = status.linked ? T.account_title : T.sign_in_title;
    $("sign-in-form").hidden = status.linked;
    $("account-linked").hidden = !status.linked;
    if (status.linked) {
      $("account-name").textContent = fill(T.signed_in_as,
        { name: status.customer_name, account: status.account_number });
      $("account-device").textContent = fill(T.this_computer, { name: status.device_name });
    } else {
      if (!$("sign-in-device").value) $("sign-in-device").value = status.default_device_name;
      showServers(status);
    }

    $("unlock-needs-sign-in").hidden = status.linked;
    $("unlock-code").disabled = !status.linked;
    $("unlock-button").disabled = !status.linked;
    $("unlock-card").dataset.session = String(status.session_active);

    // "Not unlocked yet" is said once above the list; any other reason at its feature.
    const notYet = status.features.find((f) => f.reason === "no_entitlement");
    $("features-note").hidden = !notYet;
    $("features-note-text").textContent = notYet ? notYet.reason_text : "";
    $("premium-features").replaceChildren(...status.features.map((feature) =>
      el("li", { class: "feature", "data-feature": feature.id, "data-allowed": String(feature.allowed),
        "data-reason": feature.reason },
      el("span", { class: "icon", "aria-hidden": "true", text: feature.allowed ? "✓" : "★" }),
      el("span", { class: "feature-main" },
        el("span", { class: "feature-title", text: feature.title }),
        el("span", { class: "feature-text", text: feature.description }),
        feature.allowed || feature.reason === "no_entitlement" ? null
          : el("span", { class: "feature-reason", text: feature.reason_text })),
      el("span", { class: "badge", "data-status": feature.allowed ? "ok" : "locked",
        text: feature.allowed ? T.feature_allowed : T.feature_locked }))));
    renderCleanupLock();
  }

  // Only the servers the installation names can be chosen, and only when there are several.
  function showServers(status) {
    const servers = status.servers || [];
    const select = $("sign-in-server");
    if (select.options.length !== servers.length) {
      select.replaceChildren(...servers.map((url) => el("option", { value: url, text: url })));
    }
    select.value = status.server_url || servers[0] || "";
    $("sign-in-server-row").hidden = servers.length < 2;
  }

  function showCredential() {
    const usePassword = $("sign-in-form").elements.credential.value === "password";
    $("sign-in-password-row").hidden = !usePassword;
    $("sign-in-code-row").hidden = usePassword;
  }

  async function signIn(event) {
    event.preventDefault();
    const form = $("sign-in-form");
    const usePassword = form.elements.credential.value === "password";
    const body = {
      account_number: $("sign-in-account").value,
      device_name: $("sign-in-device").value,
    };
    if (usePassword) body.password = $("sign-in-password").value;
    else body.activation_code = $("sign-in-code").value;
    if (!$("sign-in-server-row").hidden && $("sign-in-server").value) {
      body.server_url = $("sign-in-server").value;
    }
    clear($("sign-in-error"));
    showRelease(null);
    try {
      const status = await busy($("sign-in-button"), T.signing_in,
        () => api("POST", "/api/premium/sign-in", body));
      $("sign-in-password").value = "";
      $("sign-in-code").value = "";
      renderStatus(status);
      $("account-title").focus();
    } catch (error) {
      showError($("sign-in-error"), error);
      showRelease(error.body && error.body.release);
    }
  }

  // ---- full places: release one of the customer's computers for this one ------------------
  // The server answered the refused sign-in with the customer's computers; choosing one asks
  // for a confirmation before anything is released.
  function showRelease(release) {
    clear($("release-error"));
    $("release-confirm").hidden = true;
    $("release-panel").hidden = !release;
    if (!release) return;
    $("release-until").textContent = release.until_text || "";
    $("release-devices").replaceChildren(...release.devices.map((device) =>
      el("li", { class: "release-device", "data-device": device.device_id },
        el("span", { class: "device-main" },
          el("span", { class: "device-name", text: device.name }),
          el("span", { class: "device-seen",
            text: device.last_seen_text + " · " + device.linked_at_text })),
        el("button", { type: "button", class: "button", "data-device": device.device_id,
          "data-name": device.name, text: fill(T.release_button, { name: device.name }) }))));
  }

  function askRelease(event) {
    const button = event.target.closest("button[data-device]");
    if (!button) return;
    clear($("release-error"));
    $("release-question").textContent = fill(T.release_question, { name: button.dataset.name });
    $("release-confirm").dataset.device = button.dataset.device;
    $("release-confirm").hidden = false;
    $("release-yes").focus();
  }

  function cancelRelease() {
    const chosen = $("release-confirm").dataset.device;
    $("release-confirm").hidden = true;
    const button = $("release-devices").querySelector(`button[data-device="${CSS.escape(chosen)}"]`);
    if (button) button.focus();
  }

  async function confirmRelease() {
    clear($("release-error"));
    try {
      const status = await busy($("release-yes"), T.releasing, () => api("POST",
        "/api/premium/release", { device_id: $("release-confirm").dataset.device }));
      $("sign-in-password").value = "";
      $("sign-in-code").value = "";
      clear($("sign-in-error"));
      renderStatus(status);
      $("premium-notice").textContent = status.message;
      $("premium-notice").hidden = false;
      $("account-title").focus();
    } catch (error) {
      $("release-confirm").hidden = true;
      showError($("release-error"), error);
      // Without a ticket (any more) only a new sign-in helps: the list is out of date.
      if ((error.body || {}).code === "release_ticket_invalid") {
        $("release-devices").replaceChildren();
      }
      $("release-title").focus();
    }
  }

  async function signOut() {
    clear($("sign-out-error"));
    try {
      const status = await busy($("sign-out"), T.signing_out,
        () => api("POST", "/api/premium/sign-out"));
      renderStatus(status);
      $("premium-notice").textContent = status.message;
      $("premium-notice").hidden = false;
      $("sign-in-account").focus();
    } catch (error) {
      showError($("sign-out-error"), error);
    }
  }

  async function unlock(event) {
    event.preventDefault();
    clear($("unlock-error"));
    clear($("unlock-done"));
    try {
      const status = await busy($("unlock-button"), T.unlocking,
        () => api("POST", "/api/premium/unlock", { code: $("unlock-code").value }));
      $("unlock-code").value = "";
      renderStatus(status);
      $("unlock-done").textContent = status.message;
      $("unlock-done").hidden = false;
    } catch (error) {
      showError($("unlock-error"), error);
      $("unlock-code").select();
    }
  }

  // ---- cleanup --------------------------------------------------------------------------
  let preview = null;

  function renderCleanupLock(lockText) {
    const feature = current && current.features.find((f) => f.id === "cleanup");
    const text = lockText || (feature && !feature.allowed ? feature.reason_text : null);
    $("cleanup-locked").hidden = !text;
    $("cleanup-locked-text").textContent = text || "";
    $("cleanup-scan").disabled = Boolean(text);
  }

  function cleanupRefused(error, box) {
    if (error.status === 403) {
      renderCleanupLock(error.body.error);
      for (const id of ["cleanup-preview", "cleanup-progress", "cleanup-report"]) $(id).hidden = true;
      loadStatus().catch(() => {});
    } else {
      showError(box, error);
    }
  }

  async function scan() {
    for (const id of ["cleanup-preview", "cleanup-progress", "cleanup-report"]) $(id).hidden = true;
    clear($("cleanup-error"));
    $("cleanup-status").textContent = T.cleanup_scanning;
    try {
      preview = await busy($("cleanup-scan"), T.cleanup_scanning,
        () => api("POST", "/api/cleanup/preview"));
    } catch (error) {
      $("cleanup-status").textContent = "";
      return cleanupRefused(error, $("cleanup-error"));
    }
    $("cleanup-status").textContent = "";
    renderPreview(preview);
  }

  function reasonsOf(skipped) {
    return skipped.map((entry) => el("span", { class: "root-stay",
      text: fill(T.cleanup_kept, { count: entry.count_text, reason: entry.reason_text }) }));
  }

  function renderPreview(found) {
    const anything = found.roots.some((root) => root.ready && root.file_count > 0);
    $("cleanup-total").textContent = anything ? fill(T.cleanup_found, { size: found.size_text })
      : T.cleanup_nothing;
    $("cleanup-roots").replaceChildren(...found.roots.map((root) => {
      const usable = root.ready && root.file_count > 0;
      const box = el("input", { type: "checkbox", value: root.root_id, id: "root-" + root.root_id,
        checked: root.chosen, disabled: !usable });
      return el("li", { class: "cleanup-root", "data-root": root.root_id, "data-status": root.status },
        box,
        el("label", { for: "root-" + root.root_id, class: "root-main" },
          el("span", { class: "root-title", text: root.title }),
          root.ready ? el("span", { class: "root-size",
            text: fill(T.cleanup_files, { count: root.file_count_text, size: root.size_text }) }) : null,
          el("span", { class: "root-where", text: fill(T.cleanup_where, { location: root.location }) }),
          root.ready ? null : el("span", { class: "root-status", text: root.status_text }),
          ...reasonsOf(root.skipped)));
    }));
    $("cleanup-confirm").disabled = !anything;
    $("cleanup-preview").hidden = false;
  }

  async function confirmCleanup(event) {
    event.preventDefault();
    clear($("cleanup-error"));
    const chosen = [...$("cleanup-roots").querySelectorAll("input:checked")].map((box) => box.value);
    if (!chosen.length) {
      showError($("cleanup-error"), { body: { error: T.cleanup_none_chosen } });
      return;
    }
    try {
      const started = await busy($("cleanup-confirm"), T.cleanup_running,
        () => api("POST", "/api/cleanup/run", { preview_id: preview.preview_id, root_ids: chosen }));
      $("cleanup-preview").hidden = true;
      $("cleanup-progress").hidden = false;
      showProgress(started);
      await follow();
    } catch (error) {
      cleanupRefused(error, $("cleanup-error"));
    }
  }

  function showProgress(progress) {
    $("cleanup-bar-fill").style.width = progress.percent + "%";
    $("cleanup-bar").setAttribute("aria-valuenow", String(progress.percent));
    $("cleanup-progress-text").textContent = fill(T.cleanup_progress,
      { done: progress.files_done_text, total: progress.files_total_text });
  }

  async function follow() {
    // Polls until the run is over; the progress only ever grows.
    for (;;) {
      const progress = await api("GET", "/api/cleanup/progress");
      showProgress(progress);
      if (progress.state === "done") break;
      if (progress.state !== "running") {
        $("cleanup-progress").hidden = true;
        $("cleanup-status").textContent = T.cleanup_failed;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    renderReport(await api("GET", "/api/cleanup/report"));
  }

  function renderReport(report) {
    $("cleanup-done-title").textContent = fill(T.cleanup_done, { size: report.freed_text });
    $("cleanup-report-roots").replaceChildren(...report.roots.map((root) =>
      el("li", { class: "cleanup-root", "data-root": root.root_id, "data-status": root.status },
        el("span", { class: "root-main" },
          el("span", { class: "root-title", text: root.title }),
          el("span", { class: "root-size",
            text: fill(T.cleanup_deleted, { count: root.deleted_count_text, size: root.freed_text }) }),
          el("span", { class: "root-where", text: fill(T.cleanup_where, { location: root.location }) }),
          root.status === "cleaned" ? null : el("span", { class: "root-status", text: root.status_text }),
          root.skipped_count ? el("span", { class: "root-stay",
            text: fill(T.cleanup_left_alone, { count: root.skipped_count_text }) }) : null))));
    $("cleanup-skipped").hidden = report.skipped_count === 0;
    $("cleanup-skipped-reasons").replaceChildren(...report.skipped_reasons.map((entry) =>
      el("li", { text: fill(T.cleanup_stay, { count: entry.count_text, reason: entry.reason_text }) })));
    const files = report.skipped.map((entry) =>
      el("li", {}, el("span", { class: "root-where", text: entry.place + ": " + entry.path }),
        el("span", { text: " — " + entry.reason_text })));
    if (report.skipped_count > report.skipped.length) {
      files.push(el("li", { class: "muted",
        text: fill(T.cleanup_more_skipped, { count: report.more_skipped_text }) }));
    }
    $("cleanup-skipped-files").replaceChildren(...files);
    $("cleanup-show-files").textContent = fill(T.cleanup_show_files, { count: report.skipped_count_text });
    $("cleanup-progress").hidden = true;
    $("cleanup-report").hidden = false;
    $("cleanup-done-title").focus();
  }

  // ---- start ----------------------------------------------------------------------------
  function opened(view) {
    if (view === "premium" || view === "cleanup") loadStatus().catch(() => {});
  }

  document.addEventListener("assistant:view", (event) => opened(event.detail));
  for (const radio of $("sign-in-form").elements.credential) {
    radio.addEventListener("change", showCredential);
  }
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  $("release-devices").addEventListener("click", askRelease);
  $("release-yes").addEventListener("click", confirmRelease);
  $("release-no").addEventListener("click", cancelRelease);
  $("unlock-form").addEventListener("submit", unlock);
  $("cleanup-scan").addEventListener("click", scan);
  $("cleanup-preview").addEventListener("submit", confirmCleanup);
  $("cleanup-again").addEventListener("click", scan);
  // app.js showed the view of the address before this script ran.
  opened(window.location.hash.slice(1));
  loadStatus().catch(() => {});
})();
