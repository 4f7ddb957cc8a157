// Live help on the assistant's page: the chat with the hotline, the customer's
// conversations, and the dialog that asks before a report is sent. Everything shown comes
// from the local API's event stream (/api/live/events); texts come from #texts.
"use strict";

(function () {
  const { T, BOOT, $, fill, el, api } = window.assistantPage;
  const TYPING_PAUSE_MS = 4000;

  const state = {
    view: null,
    selected: null, // a conversation id, "new" for the question form, null: choose by itself
    currentView: window.location.hash.slice(1) || "dashboard",
    seen: new Map(), // conversation id -> the last number the customer has seen there
    typingSentAt: 0,
    typingTimer: null,
  };

  function showText(id, text) {
    const box = $(id);
    box.textContent = text || "";
    box.hidden = !text;
  }

  // ---- what the stream says ------------------------------------------------------------
  function render(view) {
    // What was there when the page opened is not news: only later messages light the dot.
    if (state.view === null) for (const c of view.conversations) markSeen(c);
    state.view = view;
    const connection = $("help-connection");
    connection.dataset.state = view.state;
    connection.textContent = view.state_text;
    const unlinked = view.state === "unlinked";
    connection.hidden = unlinked; // said once, in the card with the way to sign in
    $("help-unlinked").hidden = !unlinked;
    $("help-unlinked-text").textContent = view.state_text;
    $("help-main").hidden = unlinked;
    const activity = $("help-activity");
    activity.hidden = !view.activity;
    activity.textContent = view.activity ? view.activity.text : "";
    activity.dataset.stage = view.activity ? view.activity.stage : "";
    renderTopics(view.topics);
    renderList(view.conversations);
    renderSelected(view.conversations);
    renderConsent(view.consent);
    renderGrants(view.grants || []);
    if (window.assistantSharing) window.assistantSharing.render(view);
    renderUnread(view.conversations);
    // The appointments (appointments.js) follow the same stream.
    document.dispatchEvent(new CustomEvent("assistant:live", { detail: view }));
  }

  function renderTopics(topics) {
    const select = $("help-topic");
    if (select.options.length) return;
    for (const topic of topics) select.append(el("option", { value: topic.id, text: topic.text }));
  }

  function chosenConversation(conversations) {
    if (state.selected === "new") return null;
    const chosen = conversations.find((c) => c.id === state.selected);
    if (chosen) return chosen;
    // By itself: the customer's current conversation (else the form), and it stays shown,
    // also once it has ended, until the customer picks another one. A conversation just
    // started may not be in the list yet: it stays chosen until it is.
    const current = conversations.find((c) => c.id === state.view.current) || null;
    if (state.selected === null && current) state.selected = current.id;
    return current;
  }

  function renderList(conversations) {
    $("help-list-card").hidden = conversations.length === 0;
    const current = chosenConversation(conversations);
    const items = conversations.map((c) => {
      const button = el("button", { type: "button", class: "conversation",
        "data-conversation": c.id, "aria-current": current && current.id === c.id ? "true" : null },
        el("span", { text: fill(T.help_conversation_of,
          { topic: c.topic_text, date: c.created_text }) }),
        el("span", { class: "conversation-status",
          text: c.status_short_text }));
      button.addEventListener("click", () => select(c.id));
      return el("li", {}, button);
    });
    $("help-conversations").replaceChildren(...items);
  }

  function renderSelected(conversations) {
    const conversation = chosenConversation(conversations);
    $("help-start-form").hidden = conversation !== null;
    $("help-chat").hidden = conversation === null;
    if (conversation) renderConversation(conversation);
    // The paid session's panel (session.js) follows the conversation shown.
    document.dispatchEvent(new CustomEvent("assistant:live-conversation",
      { detail: state.view.state === "unlinked" ? null : conversation }));
  }

  function select(id) {
    state.selected = id;
    render(state.view);
    if (id === "new") $("help-question").focus();
    else $("help-text").focus();
  }

  // ---- one conversation ----------------------------------------------------------------
  function messageItem(conversationId, message) {
    const item = el("li", { class: message.sender, "data-seq": message.seq });
    if (message.sender === "agent") {
      item.append(el("span", { class: "who", text: message.sender_name || T.help_someone }));
    }
    if (message.text) item.append(el("span", { class: "text", text: message.text }));
    if (message.attachment) {
      const file = message.attachment;
      if (message.text) item.append(document.createElement("br"));
      const path = `/api/live/conversations/${conversationId}/attachments/${file.id}`;
      const link = el("a", { class: "file", download: file.filename, href: path,
        text: fill(T.help_download, { name: file.filename, size: file.size_text }) });
      if (BOOT.mode === "window") {
        // The desktop window has no download bar: the file goes to the Downloads folder.
        link.addEventListener("click", async (event) => {
          event.preventDefault();
          const saved = await post(path + "/save");
          if (saved) showText("help-note", fill(T.saved_to, { path: saved.path }));
        });
      }
      item.append(link);
    }
    if (message.sender !== "system") {
      item.append(el("span", { class: "when", text: message.sent_text }));
    }
    return item;
  }

  function sendingItem(outgoing) {
    const item = el("li", { class: outgoing.error ? "customer failed" : "customer pending",
      "data-key": outgoing.key });
    item.append(el("span", { class: "text", text: outgoing.text || outgoing.filename || "" }));
    if (outgoing.error) {
      item.append(el("span", { class: "state", text: fill(T.help_not_sent, { reason: outgoing.error }) }));
      const dismiss = el("button", { type: "button", class: "button", text: T.help_dismiss });
      dismiss.addEventListener("click", () => api("DELETE", "/api/live/sending/" + outgoing.key)
        .catch(() => {}));
      item.append(el("br"), dismiss);
    } else {
      item.append(el("span", { class: "state", text: T.help_sending }));
    }
    return item;
  }

  // ---- an agent's offer of an expert ---------------------------------------------------
  // The card shows the expert's profile as the Experts tab has it (/api/experts/{id}:
  // photo, categories, languages, prices and status in the customer's language).
  async function renderOffer(conversation) {
    const box = $("help-offer");
    const offer = conversation.offer;
    if (!offer) {
      box.hidden = true;
      box.dataset.offer = "";
      return;
    }
    const key = `${conversation.id}:${offer.id}`;
    if (box.dataset.offer === key) return;
    box.dataset.offer = key;
    showText("offer-error", "");
    $("help-offer-title").textContent = fill(T.offer_title, { name: offer.expert });
    $("offer-name").textContent = offer.expert;
    for (const id of ["offer-slogan", "offer-categories", "offer-languages", "offer-prices", "offer-status"]) {
      $(id).textContent = "";
    }
    $("offer-photo").hidden = true;
    box.hidden = false;
    let expert;
    try {
      expert = await api("GET", "/api/experts/" + offer.expert_id);
    } catch (error) {
      return; // the buttons still work; the name is shown
    }
    if (box.dataset.offer !== key) return;
    $("offer-name").textContent = expert.name;
    $("offer-slogan").textContent = expert.slogan;
    $("offer-slogan").lang = expert.text_language;
    $("offer-categories").textContent = expert.categories;
    $("offer-languages").textContent = expert.languages;
    $("offer-prices").textContent = expert.prices.join(" · ");
    const status = $("offer-status");
    status.textContent = expert.status_text;
    status.dataset.status = expert.status;
    const photo = $("offer-photo");
    if (expert.photo_url) {
      photo.src = expert.photo_url;
      photo.alt = fill(T.offer_photo_of, { name: expert.name });
      photo.onerror = () => { photo.hidden = true; };
      photo.hidden = false;
    }
  }

  async function answerOffer(accepted) {
    const box = $("help-offer");
    const [conversationId, offerId] = (box.dataset.offer || "").split(":");
    if (!offerId) return;
    showText("offer-error", "");
    for (const id of ["offer-accept", "offer-decline"]) $(id).disabled = true;
    try {
      await api("POST", `/api/live/conversations/${conversationId}/offers/${offerId}`, { accepted });
    } catch (error) {
      showText("offer-error", error.message);
    } finally {
      for (const id of ["offer-accept", "offer-decline"]) $(id).disabled = false;
    }
  }

  function renderConversation(conversation) {
    $("help-chat-title").textContent = conversation.topic_text;
    $("help-status").textContent = conversation.status_text;
    const list = $("help-messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (list.dataset.conversation !== String(conversation.id)) {
      list.replaceChildren();
      list.dataset.conversation = String(conversation.id);
    }
    for (const old of list.querySelectorAll("li.pending, li.failed")) old.remove();
    const shown = [...list.querySelectorAll("li[data-seq]")];
    const seqs = new Set(shown.map((li) => Number(li.dataset.seq)));
    for (const message of conversation.messages) {
      // Each number once, in its place: the stream repeats the conversation on every change.
      if (seqs.has(message.seq)) continue;
      const next = shown.find((li) => Number(li.dataset.seq) > message.seq);
      const item = messageItem(conversation.id, message);
      if (next) next.before(item);
      else list.append(item);
      seqs.add(message.seq);
    }
    for (const outgoing of conversation.sending) list.append(sendingItem(outgoing));
    if (atBottom || !list.dataset.scrolled) {
      list.scrollTop = list.scrollHeight;
      list.dataset.scrolled = "true";
    }
    const typing = $("help-typing");
    typing.hidden = !conversation.agent_typing;
    typing.textContent = fill(T.help_agent_typing, { name: conversation.agent_name || T.help_someone });
    renderOffer(conversation);
    $("help-composer").hidden = !conversation.open;
    $("help-end").hidden = !conversation.open;
    $("help-ended").hidden = conversation.open;
    if (state.currentView === "help") markSeen(conversation);
  }

  function markSeen(conversation) {
    const last = conversation.messages.length
      ? conversation.messages[conversation.messages.length - 1].seq : 0;
    state.seen.set(conversation.id, last);
  }

  function renderUnread(conversations) {
    // A dot on the tab while a message from the hotline waits unseen.
    const unread = conversations.some((c) => c.messages.some(
      (m) => m.sender !== "customer" && m.seq > (state.seen.get(c.id) ?? 0)));
    const waiting = unread && state.currentView !== "help";
    $("help-dot").hidden = !waiting;
    $("help-dot-text").hidden = !waiting;
  }

  // ---- consent: the one dialog for every kind, and what the customer shares ----------------
  const CONSENT_BUTTONS = ["consent-allow", "consent-decline", "consent-allow-window", "consent-share-window"];

  function renderConsent(consent) {
    const dialog = $("consent-dialog");
    if (!consent) {
      if (dialog.open) dialog.close();
      dialog.dataset.question = "";
      return;
    }
    if (dialog.open && dialog.dataset.question === consent.id) return;
    dialog.dataset.question = consent.id;
    dialog.dataset.kind = consent.kind;
    $("consent-title").textContent = consent.title;
    $("consent-intro").textContent = consent.intro;
    showText("consent-why", consent.why || "");
    $("consent-items-title").textContent = consent.items_title;
    $("consent-until").textContent = consent.until;
    $("consent-note").textContent = consent.note;
    $("consent-allow").textContent = consent.allow;
    $("consent-items-list").replaceChildren(...consent.items.map((item) => el("li", { text: item })));
    $("consent-items").scrollTop = 0;
    showText("consent-error", "");
    // A screen view: the whole screen, or one window picked from the list.
    const choices = Boolean(consent.choices);
    $("consent-allow-window").hidden = !choices;
    $("consent-windows").hidden = true;
    $("consent-share-window").hidden = true;
    $("consent-allow").hidden = false;
    if (choices) {
      $("consent-allow-window").textContent = consent.allow_window;
      $("consent-share-window").textContent = consent.share_window;
      $("consent-windows-title").textContent = consent.pick_window;
      $("consent-windows-list").replaceChildren(...consent.windows.map((win, index) => {
        const id = "consent-window-" + index;
        const input = el("input", { type: "radio", name: "consent-window", id, value: win.id });
        return el("div", { class: "consent-window" }, input, el("label", { for: id, text: win.title }));
      }));
      showText("consent-windows-empty", consent.windows.length ? "" : consent.no_windows);
    }
    for (const id of CONSENT_BUTTONS) $(id).disabled = false;
    if (!dialog.open) dialog.showModal();
    $("consent-decline").focus(); // the safe answer has the focus
  }

  function pickWindow() {
    // "Share one window": the list opens; nothing is shared before "Share this window".
    $("consent-windows").hidden = false;
    $("consent-share-window").hidden = false;
    $("consent-allow-window").hidden = true;
    const first = document.querySelector("#consent-windows-list input");
    if (first) first.focus();
    else $("consent-decline").focus();
  }

  async function answerConsent(allowed, choice) {
    const dialog = $("consent-dialog");
    const question = dialog.dataset.question;
    if (!question) return;
    const body = { allowed };
    if (allowed && choice) {
      body.choice = choice;
      if (choice === "window") {
        const picked = document.querySelector("#consent-windows-list input:checked");
        if (!picked) {
          showText("consent-error", T.consent_pick_window);
          return;
        }
        body.window_id = picked.value;
      }
    }
    for (const id of CONSENT_BUTTONS) $(id).disabled = true;
    try {
      await api("POST", "/api/live/consent/" + encodeURIComponent(question), body);
      dialog.close();
    } catch (error) {
      if (error.status === 409) dialog.close(); // the request has ended meanwhile
      else {
        showText("consent-error", error.message);
        for (const id of CONSENT_BUTTONS) $(id).disabled = false;
      }
    }
  }

  function renderGrants(grants) {
    $("help-grants").hidden = grants.length === 0;
    if (grants.length === 0) showText("help-grants-error", "");
    const shown = [...$("help-grants-list").children].map((item) => item.dataset.grant).join(" ");
    if (shown === grants.map((grant) => grant.id).join(" ")) return;
    $("help-grants-list").replaceChildren(...grants.map((grant) => {
      const stop = el("button", { class: "button", type: "button", text: T.grants_stop });
      stop.setAttribute("aria-label", fill(T.grants_stop_label, { what: grant.what }));
      stop.addEventListener("click", () => stopGrant(grant.id, stop));
      const item = el("li", {},
        el("span", { class: "grant-what", text: grant.what }),
        el("span", { class: "muted", text: `${grant.with}, ${grant.since}` }),
        stop);
      item.dataset.grant = grant.id;
      return item;
    }));
  }

  async function stopGrant(id, button) {
    button.disabled = true;
    try {
      await api("POST", `/api/live/grants/${encodeURIComponent(id)}/stop`);
      showText("help-grants-error", "");
    } catch (error) {
      if (error.status !== 409) {  // 409: it has ended meanwhile, the list follows
        showText("help-grants-error", error.message);
        button.disabled = false;
      }
    }
  }

  // ---- the server's limit on a message's length -----------------------------------------
  // Shown as the customer nears it; a longer text is not sent (the server would refuse it
  // too), and nothing is cut.
  const COMPOSERS = { "help-text": "help-send", "help-question": "help-start" };
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "en");

  function withinLimit(fieldId) {
    const field = $(fieldId);
    const note = $(fieldId + "-count");
    const limit = state.view && state.view.message_max_chars;
    const length = Array.from(field.value.trim()).length;
    const tooLong = Boolean(limit) && length > limit;
    note.hidden = !limit || length < limit * 0.9;
    if (limit) {
      note.textContent = fill(tooLong ? T.help_too_long : T.help_count,
        { count: numbers.format(length), limit: numbers.format(limit) });
    }
    note.classList.toggle("form-error", tooLong);
    field.setAttribute("aria-invalid", tooLong ? "true" : "false");
    $(COMPOSERS[fieldId]).disabled = tooLong;
    return !tooLong;
  }

  // ---- what the customer does ----------------------------------------------------------
  async function startChat(event) {
    event.preventDefault();
    const text = $("help-question").value.trim();
    showText("help-start-error", "");
    if (!withinLimit("help-question")) return;
    const button = $("help-start");
    button.disabled = true;
    button.textContent = T.help_starting;
    try {
      const started = await api("POST", "/api/live/conversations",
        { topic: $("help-topic").value, text });
      $("help-question").value = "";
      withinLimit("help-question");
      state.selected = started.id;
      if (state.view) render(state.view);
    } catch (error) {
      showText("help-start-error", error.message);
    } finally {
      button.disabled = false;
      button.textContent = T.help_start;
    }
  }

  function selectedId() {
    const conversation = state.view && chosenConversation(state.view.conversations);
    return conversation ? conversation.id : null;
  }

  async function post(path, body) {
    showText("help-send-error", "");
    try {
      return await api("POST", path, body);
    } catch (error) {
      showText("help-send-error", error.message);
      return null;
    }
  }

  async function sendText(event) {
    if (event) event.preventDefault();
    const id = selectedId();
    const text = $("help-text").value;
    if (id === null || !text.trim() || !withinLimit("help-text")) return;
    stopTyping();
    if (await post(`/api/live/conversations/${id}/messages`, { text })) {
      $("help-text").value = "";
      withinLimit("help-text");
    }
  }

  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function sendFile() {
    const input = $("help-file");
    const file = input.files[0];
    input.value = "";
    const id = selectedId();
    if (!file || id === null) return;
    const limit = state.view.attachment_limit;
    if (limit && file.size > limit) {
      // Checked here so a large file is not read at all; the limit comes written already.
      showText("help-send-error", fill(T.help_file_too_large,
        { name: file.name, limit: state.view.attachment_limit_text }));
      return;
    }
    const data = await readBase64(file);
    await post(`/api/live/conversations/${id}/messages`, { text: "",
      attachment: { filename: file.name, content_type: file.type || "application/octet-stream",
        data_base64: data } });
  }

  function typing() {
    const id = selectedId();
    if (id === null) return;
    const now = Date.now();
    if (now - state.typingSentAt > TYPING_PAUSE_MS / 2) {
      state.typingSentAt = now;
      api("POST", `/api/live/conversations/${id}/typing`, { typing: true }).catch(() => {});
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, TYPING_PAUSE_MS);
  }

  function stopTyping() {
    clearTimeout(state.typingTimer);
    const id = selectedId();
    if (!state.typingSentAt || id === null) return;
    state.typingSentAt = 0;
    api("POST", `/api/live/conversations/${id}/typing`, { typing: false }).catch(() => {});
  }

  // ---- start -----------------------------------------------------------------------------
  function listen() {
    const source = new EventSource("/api/live/events");
    source.addEventListener("live", (event) => render(JSON.parse(event.data)));
    source.addEventListener("closing", () => source.close());
  }

  document.addEventListener("assistant:view", (event) => {
    state.currentView = event.detail;
    if (state.view) render(state.view);
  });
  // A notice of an appointment opens its conversation (appointments.js).
  document.addEventListener("assistant:open-conversation", (event) => {
    state.selected = event.detail;
    if (window.location.hash !== "#help") window.location.hash = "help";
    else if (state.view) render(state.view);
    $("help-chat-title").setAttribute("tabindex", "-1");
    setTimeout(() => $("help-chat-title").focus(), 0);
  });
  $("help-start-form").addEventListener("submit", startChat);
  $("help-composer").addEventListener("submit", sendText);
  $("offer-accept").addEventListener("click", () => answerOffer(true));
  $("offer-decline").addEventListener("click", () => answerOffer(false));
  $("help-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) sendText(event);
  });
  $("help-text").addEventListener("input", typing);
  for (const fieldId of Object.keys(COMPOSERS)) {
    $(fieldId).addEventListener("input", () => withinLimit(fieldId));
  }
  $("help-file").addEventListener("change", sendFile);
  $("help-send-report").addEventListener("click", () => {
    const id = selectedId();
    if (id !== null) post(`/api/live/conversations/${id}/report`);
  });
  $("help-end").addEventListener("click", () => {
    const id = selectedId();
    if (id !== null) post(`/api/live/conversations/${id}/close`);
  });
  $("help-new").addEventListener("click", () => select("new"));
  $("help-ask-again").addEventListener("click", () => select("new"));
  $("consent-allow").addEventListener("click", () => {
    const view = $("consent-dialog").dataset.kind === "screen_view";
    answerConsent(true, view ? "screen" : undefined);
  });
  $("consent-allow-window").addEventListener("click", pickWindow);
  $("consent-share-window").addEventListener("click", () => answerConsent(true, "window"));
  $("consent-decline").addEventListener("click", () => answerConsent(false));
  // Escape answers "no": nothing is sent without a yes.
  $("consent-dialog").addEventListener("cancel", (event) => {
    event.preventDefault();
    answerConsent(false);
  });
  // The stream opens once every script of the page runs (DOMContentLoaded comes after the
  // deferred ones): its first view must reach them all. Opened here, on a slow computer
  // the first view came while appointments.js or session.js was still loading, and they
  // showed nothing until the next change (a reminder already given never came again).
  document.addEventListener("DOMContentLoaded", listen);
})();
