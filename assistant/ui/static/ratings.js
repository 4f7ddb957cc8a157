// Rating cards on the Experts tab: after a paid session the customer rates the expert with
// 1 to 5 stars (radio buttons: arrow keys choose, Tab moves on) and an optional text. The
// sessions still to rate come written from /api/ratings, read again whenever the tab opens;
// a sent rating turns its card into a thank-you that takes the focus.
"use strict";

(function () {
  const { T, $, fill, el, api } = window.assistantPage;
  let busy = false;

  function starChoice(session, count) {
    const id = `rating-${session.id}-stars-${count}`;
    return el(
      "label",
      { class: "rating-star", for: id },
      el("input", { type: "radio", id, name: `rating-${session.id}-stars`, value: String(count) }),
      " ",
      count === 1 ? T.ratings_star_one : fill(T.ratings_star_many, { count }),
    );
  }

  function card(session) {
    const textId = `rating-${session.id}-text`;
    const hintId = `rating-${session.id}-hint`;
    const errorId = `rating-${session.id}-error`;
    const stars = el("fieldset", { class: "rating-stars" }, el("legend", { text: T.ratings_stars }));
    for (let count = 5; count >= 1; count -= 1) stars.append(starChoice(session, count));
    const form = el(
      "form",
      { class: "rating-form", novalidate: true },
      stars,
      el("label", { for: textId, text: T.ratings_text_label }),
      el("textarea", { id: textId, rows: "3", maxlength: String(session.text_max), "aria-describedby": hintId }),
      el("p", { class: "hint", id: hintId, text: fill(T.ratings_text_hint, { limit: session.text_max_text }) }),
      el("div", { class: "form-error", id: errorId, role: "alert", hidden: true }),
      el("button", { type: "submit", class: "button primary", text: T.ratings_send }),
    );
    const item = el(
      "li",
      { class: "rating-card", "data-session-id": session.id },
      el("h3", { text: session.title }),
      el("p", { class: "muted", text: session.facts }),
      el("p", { class: "muted small", text: session.until }),
      form,
    );
    form.addEventListener("submit", (event) => send(event, session, item));
    return item;
  }

  function showProblem(item, session, text) {
    const box = item.querySelector(`#rating-${session.id}-error`);
    box.textContent = text || "";
    box.hidden = !text;
  }

  async function send(event, session, item) {
    event.preventDefault();
    if (busy) return;
    const chosen = item.querySelector(`input[name="rating-${session.id}-stars"]:checked`);
    if (!chosen) {
      showProblem(item, session, T.ratings_choose_stars);
      item.querySelector("input[type=radio]").focus();
      return;
    }
    const button = item.querySelector("button[type=submit]");
    busy = true;
    button.disabled = true;
    button.textContent = T.ratings_sending;
    try {
      const text = item.querySelector("textarea").value;
      const done = await api("POST", `/api/ratings/${session.id}`, { stars: Number(chosen.value), text });
      const thanks = el("li", { class: "rating-card rating-done", "data-session-id": session.id, tabindex: "-1" },
        el("h3", { text: session.title }),
        el("p", { role: "status", text: done.message }),
      );
      item.replaceWith(thanks);
      thanks.focus();
    } catch (error) {
      showProblem(item, session, error.message);
      button.disabled = false;
      button.textContent = T.ratings_send;
    } finally {
      busy = false;
    }
  }

  async function load() {
    try {
      const data = await api("GET", "/api/ratings");
      $("ratings-list").replaceChildren(...data.sessions.map(card));
      $("ratings").hidden = data.sessions.length === 0;
    } catch (error) {
      $("ratings").hidden = true;
    }
  }

  document.addEventListener("assistant:view", (event) => {
    if (event.detail === "experts") load();
  });
  if (window.location.hash === "#experts") load();
})();

// An expert's revealed ratings on the profile, most helpful first, each with two toggle
// buttons (aria-pressed) for the customer's vote: helpful or not, changeable.
(function () {
  const { T, $, fill, el, api } = window.assistantPage;
  let shownFor = null;

  const heading = (review) => [review.stars_text, review.topic, review.when].filter(Boolean).join(" · ");

  function voteButton(review, helpful) {
    const pressed = review.my_vote === helpful;
    const button = el("button", {
      type: "button",
      class: pressed ? "button primary" : "button",
      "aria-pressed": pressed ? "true" : "false",
      "aria-label": fill(helpful ? T.reviews_helpful_label : T.reviews_not_helpful_label, { rating: heading(review) }),
      "data-helpful": helpful ? "yes" : "no",
      text: helpful ? T.reviews_helpful : T.reviews_not_helpful,
    });
    button.addEventListener("click", () => vote(review, helpful));
    return button;
  }

  function item(review) {
    const head = heading(review);
    return el(
      "li",
      { class: "review", "data-rating-id": review.id },
      el("p", {}, el("strong", { text: head })),
      review.text ? el("p", { text: review.text }) : null,
      review.votes_text ? el("p", { class: "muted small", text: review.votes_text }) : null,
      el("div", { class: "review-votes" }, voteButton(review, true), voteButton(review, false)),
    );
  }

  function showError(text) {
    $("expert-reviews-error").textContent = text || "";
    $("expert-reviews-error").hidden = !text;
  }

  async function load(expertId) {
    shownFor = expertId;
    $("expert-reviews").hidden = true;
    showError("");
    try {
      const data = await api("GET", `/api/ratings/experts/${expertId}`);
      if (shownFor !== expertId) return;
      $("expert-reviews-list").replaceChildren(...data.ratings.map(item));
      if (data.summary) $("expert-rating").textContent = data.summary;
      $("expert-reviews-topics").replaceChildren(...data.topics.map((text) => el("li", { text })));
      $("expert-reviews").hidden = data.ratings.length === 0;
    } catch (error) {
      $("expert-reviews").hidden = true;
    }
  }

  async function vote(review, helpful) {
    try {
      const changed = await api("PUT", `/api/ratings/votes/${review.id}`, { helpful });
      const old = $("expert-reviews-list").querySelector(`[data-rating-id="${review.id}"]`);
      const fresh = item(changed);
      if (old) old.replaceWith(fresh);
      fresh.querySelector(`[data-helpful="${helpful ? "yes" : "no"}"]`).focus();
      showError("");
    } catch (error) {
      showError(error.message);
    }
  }

  document.addEventListener("assistant:expert", (event) => load(event.detail));
})();
