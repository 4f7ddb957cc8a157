// Invoices on the Experts tab: each invoice of a paid expert session (and each correcting
// invoice after a refund) is a card with its number, expert, date and total, and a link
// to its PDF. Everything shown comes written from /api/invoices, read again whenever the
// tab opens. In the desktop window, which has no download bar, the PDF goes to the
// Downloads folder and the card says where. A customer who disagrees with a charge
// disputes it on its card, in their own words; the card then says where the dispute
// stands (checked by the provider, refunded, or kept).
"use strict";

(function () {
  const { T, BOOT, $, fill, el, api } = window.assistantPage;

  function showNote(text) {
    const note = $("invoices-note");
    note.textContent = text || "";
    note.hidden = !text;
  }

  function showError(text) {
    const box = $("invoices-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // The dispute of one charge: a button that opens a short form; once sent (or disputed
  // before), the sentence saying where it stands.
  function disputePart(invoice) {
    if (invoice.dispute_text) {
      return el("p", { class: "invoice-dispute", role: "status", text: invoice.dispute_text });
    }
    if (!invoice.session_id) return null;
    const formId = `invoice-dispute-${invoice.id}`;
    const reasonId = `${formId}-reason`;
    const errorId = `${formId}-error`;
    const open = el("button", { type: "button", class: "button secondary",
      "aria-expanded": "false", "aria-controls": formId, text: T.invoices_dispute });
    open.setAttribute("aria-label", fill(T.invoices_dispute_label, { title: invoice.title }));
    // No maxlength: a longer text is refused with the limit, never cut without a word.
    const reason = el("textarea", { id: reasonId, name: "reason", rows: "3",
      "aria-describedby": `${formId}-hint` });
    const error = el("p", { id: errorId, class: "form-error", role: "alert", hidden: true });
    const cancel = el("button", { type: "button", class: "button secondary",
      text: T.invoices_dispute_cancel });
    const form = el("form", { id: formId, class: "invoice-dispute-form", hidden: true },
      el("label", { for: reasonId, text: T.invoices_dispute_reason }),
      reason,
      el("p", { id: `${formId}-hint`, class: "muted small", text: T.invoices_dispute_hint }),
      error,
      el("p", { class: "invoice-actions" },
        el("button", { type: "submit", class: "button", text: T.invoices_dispute_send }), cancel));
    const part = el("div", { class: "invoice-dispute-part" }, open, form);

    function show(opened) {
      form.hidden = !opened;
      open.setAttribute("aria-expanded", String(opened));
      if (opened) reason.focus();
      else open.focus();
    }
    open.addEventListener("click", () => show(form.hidden));
    cancel.addEventListener("click", () => show(false));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const raised = await api("POST", `/api/invoices/sessions/${invoice.session_id}/dispute`,
          { reason: reason.value });
        const done = el("p", { class: "invoice-dispute", role: "status", tabindex: "-1",
          text: raised.text });
        part.replaceWith(done);
        done.focus();
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        reason.setAttribute("aria-invalid", "true");
        reason.setAttribute("aria-describedby", `${formId}-hint ${errorId}`);
        reason.focus();
      }
    });
    return part;
  }

  function card(invoice) {
    const path = `/api/invoices/${invoice.id}/pdf`;
    const link = el("a", {
      class: "button",
      href: path,
      download: invoice.file_name,
      text: T.invoices_download,
    });
    link.setAttribute("aria-label", fill(T.invoices_download_label, { title: invoice.title }));
    if (BOOT.mode === "window") {
      link.addEventListener("click", async (event) => {
        event.preventDefault();
        try {
          const saved = await api("POST", `/api/invoices/${invoice.id}/save`);
          showError("");
          showNote(fill(T.invoices_saved_to, { path: saved.path }));
        } catch (error) {
          showError(error.message);
        }
      });
    }
    return el(
      "li",
      { class: "invoice-card", "data-invoice-id": invoice.id },
      el("h3", { text: invoice.title }),
      el(
        "dl",
        { class: "expert-facts" },
        el("dt", { text: T.invoices_expert }),
        el("dd", { text: invoice.expert }),
        el("dt", { text: T.invoices_date }),
        el("dd", {}, el("time", { datetime: invoice.issued_at, text: invoice.day })),
        el("dt", { text: invoice.total_label }),
        el("dd", { class: "invoice-total", text: invoice.total }),
      ),
      el("p", { class: "invoice-actions" }, link),
      disputePart(invoice),
    );
  }

  async function load() {
    try {
      const data = await api("GET", "/api/invoices");
      $("invoices-list").replaceChildren(...data.invoices.map(card));
      $("invoices").hidden = data.invoices.length === 0;
      showError("");
    } catch (error) {
      $("invoices").hidden = true;
    }
  }

  document.addEventListener("assistant:view", (event) => {
    if (event.detail === "experts") load();
  });
  if (window.location.hash === "#experts") load();
})();
