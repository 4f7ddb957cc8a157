/* The inbox redraws its body when something changed: a chat came in, the queue moved, a
   colleague came or went. Several events in a row cause one redraw. */
(function () {
  "use strict";
  var box = document.getElementById("inbox");
  var timer = null;

  function refresh() {
    if (timer !== null) { return; }
    timer = setTimeout(function () {
      timer = null;
      fetch(box.dataset.fragmentUrl, { headers: { Accept: "text/html" } }).then(function (response) {
        if (response.redirected) { location.reload(); return null; }
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html !== null) { box.innerHTML = html; box.dataset.version = String(Date.now()); }
      });
    }, 100);
  }

  ["inbox.changed", "chat.assigned", "chat.message", "open"].forEach(function (type) {
    window.portalLive.on(type, refresh);
  });
  window.portalLive.on("presence", function (event) {
    if (event.kind === "staff") { refresh(); }
  });
})();
