// A paid session in the expert's chat on the live help page: the proposal with its terms
// and the customer's maximum, the running meter (amount, time, what is left, the warning),
// the pause and the expert's request to resume, the end with its summary and the tip.
// What is shown comes with the conversation (live.js passes it on); every action goes to
// /api/live/sessions/... with a command id chosen here once per action, so asking again
// after a failed request applies it once.
"use strict";

(function () {
  const { T, $, el, api } = window.assistantPage;

  const state = {
    conversation: null,
    session: null,
    shownAt: 0, // when the shown meter's seconds were true (the clock runs on from there)
    actions: new Map(), // an action's key -> the command id it is sent with until answered
    tick: null,
    asking: "", // the session's question for the customer shown last (confirm, resume)
  };

  function showText(id, text) {
    const box = $(id);
    box.textContent = text || "";
    box.hidden = !text;
  }

  function commandId(key) {
    if (!state.actions.has(key)) {
      const id = window.crypto && crypto.randomUUID ? crypto.randomUUID()
        : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
      state.actions.set(key, id);
    }
    return state.actions.get(key);
  }

  // ---- what the stream says ------------------------------------------------------------
  function render(conversation) {
    state.conversation = conversation;
    const session = conversation ? conversation.session : null;
    const ask = $("session-ask");
    ask.hidden = !(conversation && conversation.can_propose);
    if (ask.hidden) closeAsk();
    const panel = $("session-panel");
    panel.hidden = !session;
    state.session = session;
    if (!session) {
      panel.dataset.session = "";
      panel.dataset.stage = "";
      stopClock();
      return;
    }
    const fresh = panel.dataset.session !== String(session.id);
    const stageChanged = panel.dataset.stage !== session.stage;
    panel.dataset.session = String(session.id);
    panel.dataset.stage = session.stage;
    if (fresh || stageChanged) clearErrors();
    $("session-title").textContent = session.status_text;
    showText("session-terms", session.terms_text);
    showText("session-waiting", session.waiting_text);
    bringForward(session);
    renderProposal(session, fresh || stageChanged);
    renderMeter(session);
    renderSummary(session);
  }

  // A proposal to confirm, or the expert's request to resume, waits for the customer's
  // answer: live help comes into view (the window comes forward too), once for each.
  function bringForward(session) {
    const asking = session.stage === "proposed" ? `${session.id}:confirm`
      : session.meter && session.meter.resume_requested ? `${session.id}:resume` : "";
    if (asking && asking !== state.asking && window.location.hash !== "#help") {
      window.location.hash = "help";
    }
    state.asking = asking;
  }

  function clearErrors() {
    for (const id of ["session-error", "session-maximum-error", "session-raise-error",
      "session-tip-error"]) showText(id, "");
    for (const id of ["session-maximum", "session-raise", "session-tip"]) {
      $(id).setAttribute("aria-invalid", "false");
    }
  }

  function renderProposal(session, fresh) {
    const proposal = session.proposal;
    $("session-confirm-form").hidden = !proposal;
    if (!proposal) {
      showText("session-billing", "");
      return;
    }
    showText("session-billing", proposal.billing_text);
    $("session-note").textContent = proposal.note;
    $("session-maximum-field").hidden = !proposal.needs_maximum;
    const hints = [proposal.maximum_hint, proposal.spending_left_text].filter(Boolean);
    $("session-maximum-hint").textContent = hints.join(" ");
    $("session-maximum-currency").textContent = proposal.currency;
    if (fresh) $("session-maximum").value = proposal.default_maximum;
  }

  function renderMeter(session) {
    const meter = session.meter;
    $("session-meter").hidden = !meter;
    if (!meter) {
      stopClock();
      $("session-end-confirm").hidden = true;
      return;
    }
    $("session-amount").textContent = meter.amount_text;
    $("session-maximum-row").hidden = !meter.maximum_text;
    $("session-maximum-shown").textContent = meter.maximum_text || "";
    $("session-left-row").hidden = !meter.remaining_text;
    $("session-left").textContent = meter.remaining_text || "";
    const used = $("session-used");
    used.hidden = !meter.can_raise;
    used.value = meter.percent;
    used.setAttribute("aria-valuetext", `${meter.percent} %`);
    const warning = $("session-warning");
    // Said once when it appears (role=alert), not again on every tick.
    if (warning.textContent !== (meter.warning_text || "")) showText("session-warning", meter.warning_text);
    $("session-resume-box").hidden = !meter.paused;
    showText("session-resume-question", meter.resume_question || "");
    $("session-resume-question").hidden = !meter.resume_requested;
    $("session-raise-form").hidden = !meter.can_raise;
    $("session-raise-currency").textContent = meter.currency;
    $("session-pause").hidden = !meter.running;
    state.shownAt = Date.now();
    state.seconds = meter.seconds;
    state.running = meter.running;
    showClock();
    if (meter.running && !state.tick) state.tick = setInterval(showClock, 1000);
    if (!meter.running) stopClock();
  }

  function clockText(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  }

  function showClock() {
    // Between two meters the clock runs on, but not while the connection is down (the
    // server then pauses the session, and the next meter says so).
    const connected = $("help-connection").dataset.state === "connected";
    const extra = state.running && connected ? Math.floor((Date.now() - state.shownAt) / 1000) : 0;
    $("session-clock").textContent = clockText((state.seconds || 0) + extra);
  }

  function stopClock() {
    clearInterval(state.tick);
    state.tick = null;
  }

  function renderSummary(session) {
    const summary = session.summary;
    $("session-summary").hidden = !summary;
    if (!summary) return;
    const rows = summary.rows.map((row) => el("div", { "data-row": row.key },
      el("dt", { text: T["session_row_" + row.key] }), el("dd", { text: row.value })));
    $("session-summary-rows").replaceChildren(...rows);
    const tipForm = $("session-tip-form");
    const skipped = tipForm.dataset.skipped === String(session.id);
    tipForm.hidden = !summary.tip_open || skipped;
    $("session-tip-currency").textContent = summary.currency;
    showText("session-tip-thanks", summary.tip_text);
  }

  // ---- what the customer does ------------------------------------------------------------
  // One command id per action and session: the same request again (after a failed one)
  // carries the same id, so the server applies it once; an answered action forgets it.
  async function act(key, path, body, errorId) {
    const id = commandId(key);
    showText(errorId, "");
    showText("session-error", "");
    try {
      const answer = await api("POST", path, { ...body, command_id: id });
      if (!answer.pending) state.actions.delete(key);
      return answer;
    } catch (error) {
      if (error.status && error.status < 500) state.actions.delete(key); // refused: a new try
      showText(errorId || "session-error", error.message);
      if (error.body && String(error.body.code || "").startsWith("amount_")) {
        const field = { "session-maximum-error": "session-maximum",
          "session-raise-error": "session-raise", "session-tip-error": "session-tip" }[errorId];
        if (field) {
          $(field).setAttribute("aria-invalid", "true");
          $(field).focus();
        }
      }
      return null;
    }
  }

  function sessionPath(action) {
    return `/api/live/sessions/${state.session.id}/${action}`;
  }

  async function withButton(id, work) {
    const button = $(id);
    button.disabled = true;
    try {
      return await work();
    } finally {
      button.disabled = false;
    }
  }

  function closeAsk() {
    showText("session-ask-error", "");
    $("session-ask-form").hidden = true;
    $("session-ask-open").setAttribute("aria-expanded", "false");
  }

  $("session-ask-open").addEventListener("click", () => {
    const form = $("session-ask-form");
    form.hidden = !form.hidden;
    $("session-ask-open").setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) form.querySelector("input[name=session-terms]:checked").focus();
  });
  $("session-ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!state.conversation) return;
    const terms = $("session-ask-form").querySelector("input[name=session-terms]:checked").value;
    const conversation = state.conversation.id;
    withButton("session-ask-send", async () => {
      const done = await act(`propose:${conversation}:${terms}`,
        `/api/live/conversations/${conversation}/sessions`, { terms }, "session-ask-error");
      if (done) closeAsk(); // the proposal comes with its terms, for the customer to confirm
    });
  });
  $("session-confirm-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!state.session) return;
    const maximum = $("session-maximum").value;
    withButton("session-confirm", () => act(`confirm:${state.session.id}:${maximum}`,
      sessionPath("confirm"), { maximum }, "session-maximum-error"));
  });
  $("session-maximum").addEventListener("input", () => {
    $("session-maximum").setAttribute("aria-invalid", "false");
  });
  $("session-decline").addEventListener("click", () => {
    withButton("session-decline", () => act(`decline:${state.session.id}`,
      sessionPath("decline"), {}, "session-error"));
  });
  $("session-pause").addEventListener("click", () => {
    withButton("session-pause", () => act(`pause:${state.session.id}`,
      sessionPath("pause"), {}, "session-error"));
  });
  $("session-resume").addEventListener("click", () => {
    withButton("session-resume", () => act(`resume:${state.session.id}`,
      sessionPath("resume"), {}, "session-error"));
  });
  $("session-raise-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const amount = $("session-raise").value;
    withButton("session-raise-send", async () => {
      const done = await act(`raise:${state.session.id}:${amount}`, sessionPath("raise"),
        { amount }, "session-raise-error");
      if (done) $("session-raise").value = "";
    });
  });
  $("session-end").addEventListener("click", () => {
    $("session-end-confirm").hidden = false;
    $("session-end-no").focus();
  });
  $("session-end-no").addEventListener("click", () => {
    $("session-end-confirm").hidden = true;
    $("session-end").focus();
  });
  $("session-end-yes").addEventListener("click", () => {
    withButton("session-end-yes", async () => {
      if (await act(`end:${state.session.id}`, sessionPath("end"), {}, "session-error")) {
        $("session-end-confirm").hidden = true;
      }
    });
  });
  $("session-tip-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const amount = $("session-tip").value;
    withButton("session-tip-send", () => act(`tip:${state.session.id}:${amount}`,
      sessionPath("tip"), { amount }, "session-tip-error"));
  });
  $("session-tip-skip").addEventListener("click", () => {
    $("session-tip-form").dataset.skipped = String(state.session.id);
    $("session-tip-form").hidden = true;
  });

  document.addEventListener("assistant:live-conversation", (event) => render(event.detail));
})();
