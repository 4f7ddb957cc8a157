// Help articles beside a finding: when the customer opens a check, its findings that are
// not fine ask the local API once for published articles of the ISP's knowledge base and
// show them under the finding, each a heading that opens its symptoms and solution.
// No server, or no articles: nothing is shown. Server not reachable: one quiet line.
"use strict";

(function () {
  const { T, el } = window.assistantPage;
  const asked = new Map(); // finding id -> the local API's answer (a promise)

  async function articlesFor(findingId) {
    if (!asked.has(findingId)) {
      asked.set(findingId, fetch("/api/knowledge/findings/" + encodeURIComponent(findingId),
        { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status))));
    }
    try {
      const answer = await asked.get(findingId);
      // A server that was down is asked again next time (the local API paces that).
      if (answer.reason === "unreachable") asked.delete(findingId);
      return answer;
    } catch (error) {
      asked.delete(findingId);
      return { available: false, reason: "unreachable", articles: [] };
    }
  }

  function section(title, ...content) {
    return [el("h6", { text: title }), ...content];
  }

  function articleItem(article, findingId) {
    const bodyId = `article-${findingId}-${article.id}`.replace(/[^a-zA-Z0-9_-]/g, "-");
    const body = el("div", { class: "article-body", id: bodyId, hidden: true });
    if (article.symptoms.length) {
      body.append(...section(T.knowledge_symptoms,
        ...article.symptoms.map((text) => el("p", { text }))));
    }
    body.append(...section(T.knowledge_solution, ...article.solution.map((part) =>
      part.steps ? el("ol", {}, ...part.steps.map((step) => el("li", { text: step })))
        : el("p", { text: part.text }))));
    const toggle = el("button", { type: "button", class: "article-toggle",
      "aria-expanded": "false", "aria-controls": bodyId },
      el("span", { text: article.problem }), el("span", { class: "chevron", "aria-hidden": "true" }));
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      body.hidden = !open;
    });
    return el("li", { class: "article", "data-article": article.id, lang: article.language },
      el("h5", {}, toggle), body);
  }

  async function fill(box) {
    box.dataset.state = "loading";
    const note = el("p", { class: "articles-note", role: "status", text: T.knowledge_loading });
    box.replaceChildren(note);
    const answer = await articlesFor(box.dataset.finding);
    if (answer.reason === "unreachable") {
      box.dataset.state = "unavailable";
      note.textContent = T.knowledge_unavailable;
      return;
    }
    if (!answer.articles.length) {
      box.dataset.state = "none"; // nothing written for this yet, or no server: say nothing
      box.replaceChildren();
      return;
    }
    box.dataset.state = "shown";
    box.replaceChildren(el("h4", { text: T.knowledge_title }),
      el("ul", { class: "article-list" },
        ...answer.articles.map((article) => articleItem(article, box.dataset.finding))));
  }

  document.addEventListener("assistant:details", (event) => {
    for (const box of event.detail.querySelectorAll(".articles[data-finding]:not([data-state])")) {
      fill(box);
    }
  });
})();
