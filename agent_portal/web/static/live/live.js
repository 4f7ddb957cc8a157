/* The portal tab's live channel (/ws/staff): it makes the staff member present and brings
   the page its live events. A tab counts as active while it is visible and used; it tells
   the server at most every 20 seconds. Pages listen with portalLive.on(type, handler) and
   send frames with portalLive.send(frame); frames sent while disconnected wait. Binary
   frames of relay streams (a screen picture) come to portalLive.on("binary", handler) as
   ArrayBuffers; portalLive.sendBinary(buffer) sends one now, or drops it (false) while
   disconnected: an old picture or input is worth nothing later. */
(function () {
  "use strict";
  var ACTIVITY_EVERY_MS = 20000;
  var ACCESS_CHANGED_CODE = 4403; // realtime.schemas.CLOSE_ACCESS_CHANGED
  var listeners = {};
  var outbox = [];
  var socket = null;
  var attempts = 0;
  var lastSent = 0;
  var accessChanged = false;

  function on(type, handler) {
    (listeners[type] = listeners[type] || []).push(handler);
    // A page script that comes after the socket opened still hears of it.
    if (type === "open" && isOpen()) { setTimeout(function () { handler({}); }, 0); }
  }

  function emit(type, data) {
    (listeners[type] || []).forEach(function (handler) {
      try { handler(data); } catch (error) { console.error(error); }
    });
  }

  function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  function send(frame) {
    var text = JSON.stringify(frame);
    if (isOpen()) { socket.send(text); } else { outbox.push(text); }
  }

  function sendBinary(buffer) {
    if (!isOpen()) { return false; }
    socket.send(buffer);
    return true;
  }

  function visible() {
    return document.visibilityState === "visible";
  }

  function reportActivity(force) {
    if (!visible() || !isOpen()) { return; }
    var now = Date.now();
    if (!force && now - lastSent < ACTIVITY_EVERY_MS) { return; }
    lastSent = now;
    socket.send(JSON.stringify({ type: "activity" }));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/staff");
    socket.binaryType = "arraybuffer";
    socket.onopen = function () {
      attempts = 0;
      while (outbox.length && isOpen()) { socket.send(outbox.shift()); }
      reportActivity(true);
      document.documentElement.dataset.live = "open";
      emit("open", {});
    };
    socket.onmessage = function (event) {
      if (typeof event.data !== "string") { emit("binary", event.data); return; }
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      // The staff member's access changed (deactivated, another role, a new password):
      // the page reloads, and the server answers it as things are now.
      if (data.type === "access.changed") { accessChanged = true; location.reload(); return; }
      emit(data.type, data);
    };
    socket.onclose = function (event) {
      if (accessChanged || event.code === ACCESS_CHANGED_CODE) {
        if (!accessChanged) { accessChanged = true; location.reload(); }
        return;
      }
      socket = null;
      document.documentElement.dataset.live = "closed";
      emit("close", {});
      attempts += 1;
      // Back off, with jitter, so a restarted server is not hit by every tab at once.
      var delay = Math.min(30000, 300 * Math.pow(2, Math.min(attempts, 7)));
      setTimeout(connect, delay * (0.5 + Math.random() / 2));
    };
  }

  ["keydown", "mousedown", "mousemove", "wheel", "touchstart"].forEach(function (name) {
    window.addEventListener(name, function () { reportActivity(false); }, { passive: true });
  });
  document.addEventListener("visibilitychange", function () { reportActivity(true); });

  window.portalLive = { on: on, send: send, sendBinary: sendBinary, isOpen: isOpen };
  connect();
})();
