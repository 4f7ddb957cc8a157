/* The customer page's remote-diagnostics parts redraw themselves when a request's state or
   a device's presence changes: the page is fetched again and only these parts replaced, so
   anything else on it (a code being read out) stays as it is. */
(function () {
  "use strict";
  var timer = null;

  function refresh() {
    if (timer !== null) { return; }
    timer = setTimeout(function () {
      timer = null;
      fetch(location.pathname, { headers: { Accept: "text/html" } }).then(function (response) {
        if (response.redirected) { location.reload(); return null; }
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var selectors = ["#remote-diagnostics"];
        document.querySelectorAll("[data-diagnostics-device]").forEach(function (node) {
          selectors.push('[data-diagnostics-device="' + node.dataset.diagnosticsDevice + '"]');
        });
        selectors.forEach(function (selector) {
          var old = document.querySelector(selector);
          var replacement = fresh.querySelector(selector);
          if (old && replacement) { old.replaceWith(replacement); }
        });
      });
    }, 100);
  }

  function onThisPage(deviceId) {
    return document.querySelector('[data-diagnostics-device="' + deviceId + '"]') !== null;
  }

  window.portalLive.on("diagnostics.updated", function (event) {
    if (onThisPage(event.device_id)) { refresh(); }
  });
  window.portalLive.on("presence", function (event) {
    if (event.kind === "device" && onThisPage(event.id)) { refresh(); }
  });
  window.portalLive.on("open", refresh);
})();
