// What every script of the assistant's page shares: the texts and start values the server
// rendered into the page, and small helpers to build elements and to call the local API.
// Loaded first; the others take what they need from window.assistantPage.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("texts").textContent);
  const BOOT = JSON.parse(document.getElementById("boot").textContent);

  // "{done} of {total}" with values; a placeholder without a value stays as it is.
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // A refusal throws an Error with the server's sentence, its whole body and the status.
  async function api(method, path, body) {
    const options = { method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.error || T.error_generic);
      error.body = data;
      error.status = response.status;
      throw error;
    }
    return data;
  }

  window.assistantPage = Object.freeze({
    T, BOOT, fill, el, api, $: (id) => document.getElementById(id),
  });
})();
