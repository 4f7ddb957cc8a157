// Appointments on the Experts tab: each proposal an expert made is a card with its time
// (in this computer's zone), duration and terms, and buttons to accept or decline it; an
// accepted appointment can be cancelled. Everything shown comes written from
// /api/appointments; the list is read again whenever the tab opens and after each answer.
"use strict";

(function () {
  const { T, $, fill, el, api } = window.assistantPage;
  let busy = false;

  function showError(text) {
    const box = $("appointments-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function actionButton(appointment, action, primary) {
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
    button.addEventListener("click", () => answer(appointment, action));
    return button;
  }

  function card(appointment) {
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
      buttons.append(actionButton(appointment, "accept", true), actionButton(appointment, "decline", false));
    } else if (appointment.status === "accepted") {
      buttons.append(actionButton(appointment, "cancel", false));
    }
    const item = el(
      "li",
      { class: "appointment-card", "data-appointment-id": appointment.id, "data-status": appointment.status },
      el("h3", { text: appointment.title }),
      el("p", {}, el("time", { datetime: appointment.starts_at, text: appointment.when })),
      el("p", {}, el("span", { class: "badge appointment-status", text: appointment.status_text })),
      facts,
      buttons,
    );
    return item;
  }

  async function load() {
    try {
      const data = await api("GET", "/api/appointments");
      $("appointments-list").replaceChildren(...data.appointments.map(card));
      $("appointments").hidden = data.appointments.length === 0;
      showError("");
    } catch (error) {
      $("appointments").hidden = true;
    }
  }

  async function answer(appointment, action) {
    if (busy) return;
    busy = true;
    try {
      const changed = await api("POST", `/api/appointments/${appointment.id}/${action}`);
      const old = $("appointments-list").querySelector(`[data-appointment-id="${appointment.id}"]`);
      const fresh = card(changed);
      if (old) old.replaceWith(fresh);
      const first = fresh.querySelector("button");
      (first || fresh.querySelector("h3")).focus?.();
      showError("");
    } catch (error) {
      $("appointments").hidden = false;
      showError(error.message);
    } finally {
      busy = false;
    }
  }

  document.addEventListener("assistant:view", (event) => {
    if (event.detail === "experts") load();
  });
  if (window.location.hash === "#experts") load();
})();
