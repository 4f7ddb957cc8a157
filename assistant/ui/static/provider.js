// The provider's part of the page, from GET /api/provider: the hotline's number in the top
// bar and beside every finding that tells the customer to call, and where the checks'
// values come from (under the overall result, and in each opened check). Asked again when
// a check is opened, so a profile that arrived meanwhile shows.
"use strict";

(function () {
  const { T, el, api, $ } = window.assistantPage;

  function show(node, text) {
    node.hidden = !text;
    node.textContent = text || "";
  }

  async function load() {
    let provider;
    try {
      provider = await api("GET", "/api/provider");
    } catch (error) {
      return null; // the dashboard works without it
    }
    document.body.dataset.provider = provider.from_provider ? "provider" : "default";
    $("hotline").hidden = !provider.hotline_phone;
    if (provider.hotline_phone) {
      const link = $("hotline-number");
      link.textContent = provider.hotline_phone;
      link.href = provider.hotline_href;
    }
    show($("provider-note"), provider.summary);
    show($("provider-problem"), provider.problem);
    return provider;
  }

  function hotlineLine(provider) {
    return el("p", { class: "hotline-line" }, document.createTextNode(T.provider_call + " "),
      el("a", { href: provider.hotline_href, text: provider.hotline_phone }));
  }

  async function fill(details) {
    const provider = await load();
    if (!provider) return;
    const row = details.closest("[data-check]");
    const values = row ? provider.checks[row.dataset.check] : null;
    details.querySelector(".value-source")?.remove();
    if (values) {
      details.append(el("p", { class: "value-source", "data-source": values.source,
        text: values.text }));
    }
    for (const box of details.querySelectorAll(".finding[data-calls-hotline]")) {
      box.querySelector(".hotline-line")?.remove();
      if (!provider.hotline_phone) continue;
      const steps = box.querySelector("ol");
      if (steps) steps.after(hotlineLine(provider));
      else box.append(hotlineLine(provider));
    }
  }

  document.addEventListener("assistant:details", (event) => fill(event.detail));
  load();
})();
