/* The expert's meter panel of a paid session (paid_sessions/_meter_panel.html): when the
   live channel brings a change of this conversation's session (session.meter,
   session.summary), the panel is drawn again by the server, which formats the figures in
   the tab's language, and put in place of the old one. What the expert has typed (a
   waiver) and where the focus was are carried over to the new panel, so a redraw that
   arrives while they write loses nothing. */
(function () {
  "use strict";
  var live = window.portalLive;
  var panel = document.getElementById("paid-session");
  if (!live || !panel) { return; }
  var conversationId = Number(panel.dataset.conversationId);
  var url = panel.dataset.panelUrl;
  var loading = false;
  var again = false;

  // Puts `fresh` in place of `old`, with what was typed in `old` and its focus.
  function swap(old, fresh) {
    old.querySelectorAll("input[id]:not([type=hidden])").forEach(function (input) {
      var twin = fresh.querySelector("#" + CSS.escape(input.id));
      if (twin && input.value && !twin.value) { twin.value = input.value; }
    });
    var active = document.activeElement;
    var focused = active && active.id && old.contains(active) ? active.id : "";
    old.replaceWith(fresh);
    var refocus = focused && fresh.querySelector("#" + CSS.escape(focused));
    if (refocus) { refocus.focus(); }
  }

  function redraw() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#paid-session");
        if (!fresh) { return; }
        swap(panel, fresh);
        panel = fresh;
      })
      .catch(function () { /* the next change draws it again */ })
      .finally(function () {
        loading = false;
        if (again) { again = false; redraw(); }
      });
  }

  function mine(frame) { return frame && frame.conversation_id === conversationId; }
  live.on("session.meter", function (frame) { if (mine(frame)) { redraw(); } });
  live.on("session.summary", function (frame) { if (mine(frame)) { redraw(); } });
})();
