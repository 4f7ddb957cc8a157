// The Experts tab: the category tree, the search, the list of experts and one profile,
// with the form that starts a free pre-chat (or leaves a message for an expert who is not
// online); then live help shows that conversation. Signed-in customers only: the tab
// shows once this computer is linked. Everything shown comes written from /api/experts.
"use strict";

(function () {
  const { T, $, fill, el, api } = window.assistantPage;
  const state = {
    loaded: false, category: null, query: "", expert: null, starting: false, loads: 0,
  };

  function showError(text) {
    const box = $("experts-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // ---- who may see the tab -------------------------------------------------------------
  async function updateTab() {
    let linked = false;
    try {
      linked = (await api("GET", "/api/live")).state !== "unlinked";
    } catch (error) {
      linked = false;
    }
    $("tab-experts").hidden = !linked;
    if (!linked && window.location.hash === "#experts") window.location.hash = "";
    return linked;
  }

  // ---- categories ----------------------------------------------------------------------
  function categoryItem(category) {
    const button = el("button", { type: "button", "data-category": category.id, text: category.name });
    button.setAttribute("aria-pressed", String(state.category === category.id));
    button.addEventListener("click", () => chooseCategory(category));
    const item = el("li", {}, button);
    if (category.children.length) {
      item.append(el("ul", {}, ...category.children.map(categoryItem)));
    }
    return item;
  }

  async function loadCategories() {
    const tree = $("experts-tree");
    tree.replaceChildren();
    const all = el("button", { type: "button", text: T.experts_all });
    all.setAttribute("aria-pressed", String(state.category === null && !state.query));
    all.addEventListener("click", () => chooseCategory(null));
    tree.append(el("li", {}, all));
    try {
      const data = await api("GET", "/api/experts/categories");
      tree.append(...data.categories.map(categoryItem));
    } catch (error) {
      showError(error.message);
    }
  }

  function markPressed() {
    for (const button of $("experts-tree").querySelectorAll("button")) {
      const id = button.dataset.category ? Number(button.dataset.category) : null;
      button.setAttribute("aria-pressed", String(id === state.category && !state.query));
    }
  }

  function chooseCategory(category) {
    state.category = category ? category.id : null;
    state.query = "";
    $("experts-query").value = "";
    $("experts-list-title").textContent = category
      ? fill(T.experts_results_in, { name: category.name })
      : T.experts_results;
    markPressed();
    loadExperts();
  }

  // ---- the list ------------------------------------------------------------------------
  function expertItem(expert) {
    const open = el("button", {
      type: "button",
      class: "button",
      "data-expert": expert.id,
      "aria-label": fill(T.experts_open, { name: expert.name }),
      text: expert.name,
    });
    open.addEventListener("click", () => openProfile(expert.id));
    return el(
      "li",
      { "data-expert-id": expert.id },
      el("h3", {}, open),
      el("p", {}, el("span", { class: "badge", "data-status": expert.status, text: expert.status_text })),
      expert.slogan ? el("p", { text: expert.slogan }) : null,
      el("p", { class: "muted small", text: [expert.categories, expert.languages].filter(Boolean).join(" · ") }),
      expert.prices.length ? el("p", { class: "small", text: expert.prices.join(" · ") }) : null,
    );
  }

  async function loadExperts() {
    showProfile(false);
    showError("");
    const results = $("experts-results");
    results.replaceChildren();
    $("experts-status").textContent = T.experts_loading;
    const ticket = ++state.loads; // only the latest answer is shown
    const params = new URLSearchParams();
    if (state.category !== null) params.set("category", state.category);
    if (state.query) params.set("q", state.query);
    try {
      const data = await api("GET", "/api/experts?" + params.toString());
      if (ticket !== state.loads) return;
      results.replaceChildren(...data.experts.map(expertItem));
      $("experts-status").textContent = data.experts.length ? "" : T.experts_none;
    } catch (error) {
      if (ticket !== state.loads) return;
      $("experts-status").textContent = "";
      showError(error.message);
    }
  }

  function search(event) {
    event.preventDefault();
    state.query = $("experts-query").value.trim();
    state.category = null;
    $("experts-list-title").textContent = state.query
      ? fill(T.experts_results_for, { query: state.query })
      : T.experts_results;
    markPressed();
    loadExperts();
  }

  // ---- one profile ---------------------------------------------------------------------
  function showProfile(shown) {
    $("experts-profile").hidden = !shown;
    $("experts-list").hidden = shown;
    document.querySelector(".experts-categories").hidden = shown;
  }

  async function openProfile(expertId) {
    showError("");
    let expert;
    try {
      expert = await api("GET", "/api/experts/" + expertId);
    } catch (error) {
      showError(error.message);
      return;
    }
    state.expert = expert;
    $("expert-name").textContent = expert.name;
    $("expert-slogan").textContent = expert.slogan;
    const status = $("expert-status");
    status.textContent = expert.status_text;
    status.dataset.status = expert.status;
    const photo = $("expert-photo");
    photo.hidden = !expert.photo_url;
    if (expert.photo_url) {
      photo.src = expert.photo_url;
      photo.alt = fill(T.experts_photo_of, { name: expert.name });
      photo.onerror = () => { photo.hidden = true; };
    }
    $("expert-languages").textContent = expert.languages;
    $("expert-prices").textContent = expert.prices.join(" · ");
    $("expert-rating").textContent = expert.rating || T.experts_no_rating;
    $("expert-categories").textContent = expert.categories;
    // The texts are in the expert's language, said so and marked for screen readers.
    const texts = $("expert-texts");
    texts.lang = expert.text_language;
    $("expert-written-in").textContent = fill(T.experts_written_in, { language: expert.text_language_name });
    $("expert-slogan").lang = expert.text_language;
    $("expert-qualifications").textContent = expert.qualifications;
    $("expert-experience").textContent = expert.experience;
    $("expert-start-note").textContent = expert.start_note;
    $("expert-question-label").textContent = fill(T.experts_your_question, { name: expert.name });
    $("expert-start").textContent = expert.start_label;
    $("expert-question").value = "";
    $("expert-prechat-error").hidden = true;
    showProfile(true);
    // Its ratings, most helpful first (ratings.js).
    document.dispatchEvent(new CustomEvent("assistant:expert", { detail: expert.id }));
    $("expert-name").setAttribute("tabindex", "-1");
    $("expert-name").focus();
  }

  async function startPrechat(event) {
    event.preventDefault();
    if (state.starting || !state.expert) return;
    const text = $("expert-question").value.trim();
    const problem = $("expert-prechat-error");
    problem.hidden = true;
    if (!text) {
      problem.textContent = T.experts_question_hint;
      problem.hidden = false;
      $("expert-question").focus();
      return;
    }
    state.starting = true;
    const button = $("expert-start");
    button.setAttribute("aria-disabled", "true");
    button.textContent = T.experts_starting;
    try {
      await api("POST", "/api/experts/" + state.expert.id + "/prechat", { text });
      window.location.hash = "help"; // live help shows the new conversation
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
    } finally {
      state.starting = false;
      button.removeAttribute("aria-disabled");
      button.textContent = state.expert.start_label;
    }
  }

  // ---- start ---------------------------------------------------------------------------
  async function opened() {
    if (!(await updateTab())) return;
    if (!state.loaded) {
      state.loaded = true;
      await loadCategories();
      await loadExperts();
    }
  }

  document.addEventListener("assistant:view", (event) => {
    if (event.detail === "experts") opened();
    else updateTab();
  });
  $("experts-search").addEventListener("submit", search);
  $("experts-back").addEventListener("click", () => {
    showProfile(false);
    const button = document.querySelector(`[data-expert="${state.expert && state.expert.id}"]`);
    if (button) button.focus();
  });
  $("expert-prechat").addEventListener("submit", startPrechat);
  // Opened on #experts (a reload, a language change): app.js showed the view before this
  // script listened.
  if (window.location.hash === "#experts") opened();
  else updateTab();
})();
