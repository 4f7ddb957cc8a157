/* One conversation in the portal: shows each message once (by its number), fetches what
   it missed after a reconnect, and sends the agent's messages until the server has
   acknowledged them (the server stores a repeat only once). */
(function () {
  "use strict";
  var live = window.portalLive;
  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var id = config.conversationId;
  var list = document.getElementById("messages");
  var typing = document.getElementById("typing");
  var form = document.getElementById("composer");
  var field = document.getElementById("message-text");
  var problem = document.getElementById("composer-error");
  var state = document.getElementById("connection-state");
  var draftForm = document.getElementById("draft-article-form");
  var count = document.getElementById("message-count");
  var sendButton = document.getElementById("send-button");
  var lang = document.documentElement.lang || "de";
  var moments = momentFormat();
  var seen = {};
  var lastSeq = 0;
  var pending = {};  // client_msg_id -> {frame, element, sentAt}
  var typingTimer = null;
  var typingSent = false;

  Array.prototype.forEach.call(list.querySelectorAll("[data-seq]"), function (item) {
    var seq = Number(item.dataset.seq);
    seen[seq] = true;
    lastSeq = Math.max(lastSeq, seq);
  });

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  // In the portal's time zone, as the messages the page came with: the agent's computer
  // may be set to another one.
  function momentFormat() {
    var options = { dateStyle: "medium", timeStyle: "short", timeZone: config.timeZone };
    try {
      return new Intl.DateTimeFormat(lang, options);
    } catch (error) {  // a zone this browser does not know: its own, rather than no chat
      delete options.timeZone;
      return new Intl.DateTimeFormat(lang, options);
    }
  }

  function moment(value) {
    return moments.format(new Date(value));
  }

  function systemText(message) {
    var params = Object.assign({}, message.params || {});
    var key = message.event || "";
    if (key === "transferred") { key = params.agent ? "transferred_agent" : "transferred_topic"; }
    if (key === "closed") { key = "closed_" + (params.by || "agent"); }
    if (params.topic) { params.topic = config.topicLabels[params.topic] || params.topic; }
    var text = config.systemTexts[key] || key;
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return params[name] || ""; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function build(message) {
    var item = element("li", "message " + message.sender);
    item.dataset.seq = String(message.seq);
    if (message.sender === "system") {
      item.appendChild(element("p", "system-text", systemText(message)));
      return item;
    }
    var meta = element("p", "meta");
    var name = message.sender === "agent" ? (message.sender_name || config.texts.agent)
      : config.customerName;
    meta.appendChild(element("strong", "", name));
    meta.appendChild(document.createTextNode(" "));
    var time = element("time", "", moment(message.sent_at));
    time.setAttribute("datetime", message.sent_at);
    meta.appendChild(time);
    item.appendChild(meta);
    if (message.text) { item.appendChild(element("p", "text", message.text)); }
    if (message.attachment) {
      var line = element("p", "attachment");
      var link = element("a", "", message.attachment.filename);
      var clip = element("span", "icon-attach");
      clip.setAttribute("aria-hidden", "true");
      link.insertBefore(clip, link.firstChild);
      link.href = "/portal/chats/" + id + "/attachments/" + message.attachment.id;
      link.target = "_blank";
      link.rel = "noopener";
      line.appendChild(link);
      item.appendChild(line);
    }
    return item;
  }

  function show(message) {
    if (seen[message.seq]) { return; }
    seen[message.seq] = true;
    lastSeq = Math.max(lastSeq, message.seq);
    var item = build(message);
    var after = null;
    Array.prototype.forEach.call(list.querySelectorAll("[data-seq]"), function (other) {
      if (after === null && Number(other.dataset.seq) > message.seq) { after = other; }
    });
    list.insertBefore(item, after);
    if (message.sender === "customer") { typing.hidden = true; }
    if (message.sender === "agent" && message.text) { allowDraft(); }
    list.scrollTop = list.scrollHeight;
  }

  // The first answer of an agent is a solution to write down: the draft button may work.
  function allowDraft() {
    if (!draftForm) { return; }
    var button = draftForm.querySelector("button");
    button.disabled = false;
    button.removeAttribute("aria-describedby");
    document.getElementById("draft-article-reason").hidden = true;
  }

  // Closed while the page is open: nothing more can be written here.
  function showClosed() {
    ["composer", "attachment-form"].forEach(function (formId) {
      var closedForm = document.getElementById(formId);
      if (closedForm) { closedForm.hidden = true; }
    });
    document.getElementById("closed-note").hidden = false;
  }

  function fetchMissed() {
    live.send({ type: "chat.fetch", conversation_id: id, after_seq: lastSeq });
  }

  function transmit(entry) {
    entry.sentAt = Date.now();
    live.send(entry.frame);
  }

  live.on("open", function () {
    state.textContent = config.texts.connected;
    live.send({ type: "watch", conversation_id: id });
    fetchMissed();
    Object.keys(pending).forEach(function (key) { transmit(pending[key]); });
  });
  live.on("close", function () { state.textContent = config.texts.reconnecting; });
  // The offer of an expert (escalation): the withdraw button while it waits, the link to
  // offer one again once declined, withdrawn or expired, nothing once accepted.
  var OFFER_ENDS = ["expert_declined", "offer_withdrawn", "offer_expired"];
  function offerChanged(message) {
    var box = document.querySelector("[data-testid=offer-box]");
    if (!box || message.sender !== "system") { return; }
    var withdraw = document.getElementById("offer-withdraw");
    var link = document.getElementById("offer-link");
    if (message.event === "expert_offered") {
      withdraw.action = "/portal/chats/" + id + "/offers/" + message.params.offer_id + "/withdraw";
      withdraw.hidden = false;
      link.hidden = true;
    } else if (OFFER_ENDS.indexOf(message.event) >= 0) {
      withdraw.hidden = true;
      link.hidden = false;
    } else if (message.event === "expert_accepted") {
      box.hidden = true;
    }
  }
  live.on("chat.message", function (event) {
    if (event.conversation_id === id) { show(event.message); offerChanged(event.message); }
  });
  live.on("chat.history", function (event) {
    if (event.conversation.id === id) { event.messages.forEach(show); }
  });
  live.on("chat.state", function (event) {
    var conversation = event.conversation;
    if (conversation.id !== id) { return; }
    var badge = document.querySelector("[data-testid=conversation-status]");
    badge.textContent = config.statusLabels[conversation.status] || conversation.status;
    badge.className = "badge " + conversation.status;
    document.querySelector("[data-testid=conversation-agent]").textContent =
      conversation.agent_name
        ? config.texts.withAgent.replace("%(name)s", conversation.agent_name)
        : config.texts.noAgent;
    if (conversation.last_seq > lastSeq) { fetchMissed(); }
    if (conversation.status === "closed") { showClosed(); }
  });
  live.on("chat.ack", function (event) {
    var entry = pending[event.client_msg_id];
    if (!entry) { return; }
    delete pending[event.client_msg_id];
    entry.element.remove();
    if (!seen[event.seq]) { fetchMissed(); }
  });
  live.on("error", function (event) {
    var entry = event.client_msg_id && pending[event.client_msg_id];
    if (!entry) { return; }
    delete pending[event.client_msg_id];
    entry.element.remove();
    problem.textContent = event.message;
    problem.hidden = false;
  });
  live.on("chat.typing", function (event) {
    if (event.conversation_id !== id || event.sender !== "customer") { return; }
    typing.hidden = !event.typing;
  });

  // Unanswered sends go again; the server keeps the first and acknowledges every copy.
  setInterval(function () {
    if (!live.isOpen()) { return; }
    var now = Date.now();
    Object.keys(pending).forEach(function (key) {
      if (now - pending[key].sentAt > 4000) { transmit(pending[key]); }
    });
  }, 1000);

  // The server's limit, shown as the agent nears it; a longer message is not sent (the
  // server would refuse it too), and nothing is cut.
  var numbers = new Intl.NumberFormat(lang);

  function fillIn(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function checkLength() {
    var length = Array.from(field.value.trim()).length;
    var limit = config.messageMaxChars;
    var values = { count: numbers.format(length), length: numbers.format(length),
                   limit: numbers.format(limit) };
    var tooLong = length > limit;
    count.hidden = length < limit * 0.9;
    count.textContent = fillIn(tooLong ? config.texts.tooLong : config.texts.count, values);
    count.className = tooLong ? "field-error" : "hint";
    field.setAttribute("aria-invalid", tooLong ? "true" : "false");
    sendButton.disabled = tooLong;
    return !tooLong;
  }

  function stopTyping() {
    if (typingSent) {
      typingSent = false;
      live.send({ type: "chat.typing", conversation_id: id, typing: false });
    }
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = field.value.trim();
      if (!text || !checkLength()) { return; }
      problem.hidden = true;
      var key = newId();
      var placeholder = element("li", "message agent pending", text);
      placeholder.dataset.pending = key;
      list.appendChild(placeholder);
      var entry = { frame: { type: "chat.send", conversation_id: id, client_msg_id: key, text: text },
                    element: placeholder, sentAt: 0 };
      pending[key] = entry;
      transmit(entry);
      field.value = "";
      checkLength();
      stopTyping();
    });
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    field.addEventListener("input", function () {
      checkLength();
      if (!typingSent) {
        typingSent = true;
        live.send({ type: "chat.typing", conversation_id: id, typing: true });
      }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(stopTyping, 3000);
    });
  }
  if (draftForm) {
    // One click, one draft: a second click while the page loads would make another.
    draftForm.addEventListener("submit", function () {
      draftForm.querySelector("button").disabled = true;
    });
  }
  list.scrollTop = list.scrollHeight;
})();
