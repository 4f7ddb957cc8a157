/* Screen sharing's card on a conversation page: its body comes from the server
   (GET data-card-url) and is drawn again when a consent of this customer changes, so the
   agent sees the customer's answer and the link to the viewer without reloading. Only
   the list is replaced on a redraw, so a reason being typed stays. */
(function () {
  "use strict";
  var card = document.getElementById("screen-sharing");
  if (!card) { return; }
  var body = document.getElementById("screen-card-body");
  var url = card.dataset.cardUrl;
  var customerId = Number(card.dataset.customerId);

  function load(first) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = document.createElement("div");
        fresh.innerHTML = html;
        var list = fresh.querySelector("#screen-views");
        var current = body.querySelector("#screen-views");
        if (first || !current || !list) {
          body.replaceChildren.apply(body, Array.prototype.slice.call(fresh.childNodes));
        } else {
          current.replaceWith(list);
        }
        card.dataset.loaded = "true";
      })
      .catch(function () { /* the next change draws it again */ });
  }

  load(true);
  if (window.portalLive) {
    // Whatever changed before the socket was open (or while it was away) shows now.
    window.portalLive.on("open", function () { load(false); });
    window.portalLive.on("consent.updated", function (event) {
      if (event.customer_id === customerId &&
          (event.kind === "screen_view" || event.kind === "control")) { load(false); }
    });
  }
})();
