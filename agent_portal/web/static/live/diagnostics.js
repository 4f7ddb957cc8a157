/* The customer page's live parts (the remote diagnostics, the consent record: each section
   marked data-live-section, and each device's diagnostics action) redraw themselves when a
   consent or a device's presence changes: the page is fetched again and only these parts
   replaced, so anything else on it (a code being read out) stays as it is. */
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
        var selectors = [];
        document.querySelectorAll("[data-live-section]").forEach(function (node) {
          selectors.push("#" + node.id);
        });
        document.querySelectorAll("[data-diagnostics-device]").forEach(function (node) {
          selectors.push('[data-diagnostics-device="' + node.dataset.diagnosticsDevice + '"]');
        });
        // What the agent opened (a consent's steps) stays open.
        var opened = Array.prototype.map.call(
          document.querySelectorAll("details[open][id]"), function (node) { return node.id; });
        selectors.forEach(function (selector) {
          var old = document.querySelector(selector);
          var replacement = fresh.querySelector(selector);
          if (old && replacement) { old.replaceWith(replacement); }
        });
        opened.forEach(function (id) {
          var details = document.getElementById(id);
          if (details) { details.open = true; }
        });
      });
    }, 100);
  }

  function onThisPage(deviceId) {
    return document.querySelector('[data-diagnostics-device="' + deviceId + '"]') !== null;
  }

  window.portalLive.on("consent.updated", function (event) {
    if (onThisPage(event.device_id)) { refresh(); }
  });
  window.portalLive.on("presence", function (event) {
    if (event.kind === "device" && onThisPage(event.id)) { refresh(); }
  });
  window.portalLive.on("open", refresh);
})();
