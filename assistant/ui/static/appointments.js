// Appointments with experts, wherever the page shows them: as cards on the Experts tab and
// inside the conversation with the expert (accept or decline a proposal, cancel an
// accepted appointment, with real buttons), and as notices on every tab (a new proposal,
// a cancellation by the expert, the reminder shortly before the start). Everything comes
// written (times in this computer's zone, the zone named) from live help's stream, which
// live.js hands on as "assistant:live"; the Experts tab also reads /api/appointments when
// it opens.
"use strict";

(function () {
  const { T, $, fill, el, api } = window.assistantPage;
  const LISTS = { experts: "appointments-list", conversation: "help-appointments-list" };
  const shown = new Map(); // list id -> what it shows, so an unchanged list keeps its focus
  let busy = false;
  let live = null; // the latest view of the stream

  function showError(id, text) {
    const box = $(id);
    box.textContent = text || "";
    box.hidden = !text;
  }

  function actionButton(appointment, action, primary, list) {
    const button = el("button", {
      type: "button",
      class: primary ? "button primary" : "button",
      text: T["appointments_" + action],
      "data-action": action,
    });
    button.setAttribute(
      "aria-label",
      fill(T["appointments_" + action + "_label"], { name: appointment.expert, when: appointment.when }),
    );
    button.addEventListener("click", () => answer(appointment, action, list));
    return button;
  }

  function card(appointment, list) {
    const facts = el(
      "dl",
      { class: "expert-facts" },
      el("dt", { text: T.appointments_duration }),
      el("dd", { text: appointment.duration }),
      el("dt", { text: T.appointments_terms }),
      el("dd", { text: appointment.terms, class: "appointment-terms" }),
    );
    const buttons = el("div", { class: "appointment-actions" });
    if (appointment.status === "proposed") {
      buttons.append(
        actionButton(appointment, "accept", true, list),
        actionButton(appointment, "decline", false, list),
      );
    } else if (appointment.status === "accepted") {
      buttons.append(actionButton(appointment, "cancel", false, list));
    }
    return el(
      "li",
      { class: "appointment-card", "data-appointment-id": appointment.id, "data-status": appointment.status },
      el("h3", { text: appointment.title, tabindex: "-1" }),
      el(
        "p",
        { class: "appointment-when" },
        el("time", { datetime: appointment.starts_at, text: appointment.when }),
        " ",
        el("span", { class: "appointment-zone", text: fill(T.appointments_zone, { zone: appointment.zone }) }),
      ),
      el("p", {}, el("span", { class: "badge appointment-status", text: appointment.status_text })),
      facts,
      buttons,
    );
  }

  function render(list, appointments) {
    const key = JSON.stringify(appointments);
    if (shown.get(list) === key) return;
    shown.set(list, key);
    const place = focusedPlace(list);
    $(list).replaceChildren(...appointments.map((appointment) => card(appointment, list)));
    if (place) focusCard($(list).querySelector(`[data-appointment-id="${place.id}"]`), place.action);
  }

  // A list drawn again keeps the keyboard's place, however many views the stream sends in a
  // row (one may still show the state before the customer's answer): the same card, the
  // same button if the card still has it, else its first one.
  function focusedPlace(list) {
    const active = document.activeElement;
    const item = active && $(list).contains(active) ? active.closest("[data-appointment-id]") : null;
    return item ? { id: item.dataset.appointmentId, action: active.dataset.action } : null;
  }

  function focusCard(item, action) {
    if (!item) return;
    const same = action ? item.querySelector(`button[data-action="${action}"]`) : null;
    (same || item.querySelector("button") || item.querySelector("h3")).focus();
  }

  // ---- the Experts tab -------------------------------------------------------------------
  function renderExperts(appointments) {
    render(LISTS.experts, appointments);
    $("appointments").hidden = appointments.length === 0;
  }

  async function load() {
    try {
      const data = await api("GET", "/api/appointments");
      renderExperts(data.appointments);
      showError("appointments-error", "");
    } catch (error) {
      if (!live || live.appointments.length === 0) $("appointments").hidden = true;
    }
  }

  // ---- the conversation with the expert --------------------------------------------------
  function renderConversation(view) {
    const chat = $("help-chat");
    const conversationId = Number($("help-messages").dataset.conversation || 0);
    const mine = chat.hidden
      ? []
      : view.appointments.filter((appointment) => appointment.conversation_id === conversationId);
    render(LISTS.conversation, mine);
    $("help-appointments").hidden = mine.length === 0;
  }

  // ---- notices, on every tab -------------------------------------------------------------
  function renderNotices(notices) {
    const box = $("appointment-notices");
    const key = JSON.stringify(notices);
    box.hidden = notices.length === 0;
    if (shown.get("notices") === key) return;
    shown.set("notices", key);
    $("appointment-notices-list").replaceChildren(...notices.map((notice) => {
      const open = el("button", { type: "button", class: "button", text: T.appointments_notice_open });
      open.setAttribute("aria-label", fill(T.appointments_notice_open_label, { text: notice.text }));
      open.addEventListener("click", () => {
        document.dispatchEvent(new CustomEvent("assistant:open-conversation",
          { detail: notice.conversation_id }));
        dismiss(notice);
      });
      const done = el("button", { type: "button", class: "button", text: T.appointments_notice_dismiss });
      done.setAttribute("aria-label", fill(T.appointments_notice_dismiss_label, { text: notice.text }));
      done.addEventListener("click", () => dismiss(notice));
      return el("li", { class: "appointment-notice", "data-kind": notice.kind, "data-key": notice.key },
        el("p", { text: notice.text }), el("div", { class: "appointment-actions" }, open, done));
    }));
  }

  async function dismiss(notice) {
    try {
      await api("POST", `/api/appointments/notices/${encodeURIComponent(notice.key)}/dismiss`);
    } catch (error) {
      // Gone meanwhile: the stream's next view says so.
    }
  }

  // ---- the customer's answer -------------------------------------------------------------
  async function answer(appointment, action, list) {
    if (busy) return;
    busy = true;
    const errorBox = list === LISTS.experts ? "appointments-error" : "help-appointments-error";
    try {
      const changed = await api("POST", `/api/appointments/${appointment.id}/${action}`);
      const old = $(list).querySelector(`[data-appointment-id="${appointment.id}"]`);
      const fresh = card(changed, list);
      if (old) old.replaceWith(fresh);
      focusCard(fresh, null);
      showError(errorBox, "");
    } catch (error) {
      if (list === LISTS.experts) $("appointments").hidden = false;
      showError(errorBox, error.message);
    } finally {
      busy = false;
    }
  }

  document.addEventListener("assistant:live", (event) => {
    live = event.detail;
    renderNotices(live.notices || []);
    renderConversation(live);
    if (live.appointments.length || !$("appointments").hidden) renderExperts(live.appointments);
  });
  document.addEventListener("assistant:view", (event) => {
    if (event.detail === "experts") load();
  });
  if (window.location.hash === "#experts") load();
})();
