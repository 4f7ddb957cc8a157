"""Rating both ways between two browsers: after a paid session the real assistant
(headless, signed in) shows a rating card on the Experts tab; the customer rates the
expert with the keyboard alone (stars are radio buttons); the expert's portal page keeps
the customer's rating hidden until the expert has rated the customer, then shows both.
Another customer then reads the revealed rating on the expert's profile and marks it
helpful, then not helpful, with the keyboard. Both sides in English and German, with
screenshots of each."""

from __future__ import annotations

import pytest

from agent_portal.session_ratings.models import SessionRating, SessionRatingVote
from tests.agent_portal.session_ratings.support import Arranged
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser


def test_the_customer_rates_with_the_keyboard_and_both_see_both_ratings_after_the_expert(
    portal, world, customer_assistant, customer_page, staff_page
):
    arranged = Arranged(world, devices=False)
    session_id = arranged.session()

    erika = customer_page(customer_assistant(arranged.customer)).page
    tab = erika.get_by_role("button", name="Experts")
    tab.wait_for()
    tab.click()
    card = erika.locator(f"#ratings-list [data-session-id='{session_id}']")
    card.wait_for()
    assert card.get_by_role("heading").inner_text() == (
        "How was your session with Mira Keller about Windows?"
    )
    audit(erika, "assistant-rating-card-en")

    # Sending without stars says what is missing and sends nothing.
    card.get_by_role("button", name="Send rating").click()
    card.get_by_text("Choose between 1 and 5 stars.").wait_for()
    assert world.count(SessionRating) == 0

    # Keyboard only: the first star choice, arrow keys within the group, Tab on.
    card.get_by_role("radio", name="5 stars").focus()
    erika.keyboard.press("Space")
    erika.keyboard.press("ArrowDown")  # 4 stars
    assert card.get_by_role("radio", name="4 stars").is_checked()
    erika.keyboard.press("Tab")
    erika.keyboard.type("Hat mir den Drucker schnell wieder eingerichtet.")
    erika.keyboard.press("Tab")
    erika.keyboard.press("Enter")
    done = erika.locator(f"#ratings-list .rating-done[data-session-id='{session_id}']")
    done.get_by_text("Thank you for your rating.").wait_for()
    assert erika.evaluate("document.activeElement.dataset.sessionId") == str(session_id)
    wait_until(lambda: world.count(SessionRating) == 1, what="the customer's rating stored")
    audit(erika, "assistant-rating-sent-en")

    desk = staff_page(arranged.expert)
    desk.goto(f"{portal.url}/portal/expert/ratings?lang=en")
    section = desk.locator(f"#session-{session_id}")
    section.get_by_text("Shown once you have both rated").wait_for()
    assert "Hat mir den Drucker" not in section.inner_text()
    audit(desk, "expert-ratings-hidden-en")
    section.get_by_role("radio", name="5 of 5 stars").check()
    section.get_by_label("What was it like to work with this customer?").fill("Gut vorbereitet.")
    section.get_by_role("button", name="Rate the customer").click()
    desk.get_by_text("Your rating of the customer has been stored.").wait_for()
    revealed = desk.locator(f"#session-{session_id}")
    assert "4 of 5 stars" in revealed.get_by_test_id("their-rating").inner_text()
    assert "Hat mir den Drucker" in revealed.get_by_test_id("their-rating").inner_text()
    audit(desk, "expert-ratings-revealed-en")

    # Another customer reads the revealed rating on Mira's profile and votes, by keyboard.
    max_page = customer_page(customer_assistant(arranged.neighbour, device_name="Max-PC")).page
    max_page.get_by_role("button", name="Experts").click()
    max_page.get_by_role("button", name="View profile of Mira Keller").click()
    review = max_page.locator("#expert-reviews-list .review")
    review.get_by_text("Hat mir den Drucker schnell wieder eingerichtet.").wait_for()
    assert review.get_by_role("button", name="helpful", exact=False).count() == 2
    assert max_page.locator("#expert-rating").inner_text().endswith(" of 5 from 1 paid sessions")
    assert max_page.locator("#expert-reviews-topics li").inner_text().startswith("Windows: ")
    helpful = review.locator("[data-helpful=yes]")
    helpful.focus()
    max_page.keyboard.press("Enter")
    max_page.get_by_text("1 of 1 found this helpful").wait_for()
    pressed = max_page.locator("#expert-reviews-list [data-helpful=yes]")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert max_page.evaluate("document.activeElement.dataset.helpful") == "yes"
    audit(max_page, "assistant-expert-reviews-en")
    max_page.keyboard.press("Tab")  # to "Not helpful": the vote changes
    max_page.keyboard.press("Enter")
    max_page.get_by_text("0 of 1 found this helpful").wait_for()
    wait_until(
        lambda: [vote.helpful for vote in world.rows(SessionRatingVote)] == [False],
        what="the changed vote stored",
    )

    desk.goto(f"{portal.url}/portal/expert/ratings?lang=de")
    desk.get_by_text("4 von 5 Sternen").wait_for()
    audit(desk, "expert-ratings-revealed-de")

    # German in the assistant: a second session to rate, its card in German.
    second = arranged.session()
    choose_language(erika, "de")
    erika.get_by_role("button", name="Experten", exact=True).click()
    german = erika.locator(f"#ratings-list [data-session-id='{second}']")
    german.get_by_role(
        "heading", name="Wie war Ihre Sitzung mit Mira Keller zum Thema Windows?"
    ).wait_for()
    german.get_by_role("radio", name="1 Stern", exact=True).wait_for()
    german.get_by_role("button", name="Bewertung senden").wait_for()
    audit(erika, "assistant-rating-card-de")
    choose_language(max_page, "de")
    max_page.get_by_role("button", name="Experten", exact=True).click()
    max_page.get_by_role("button", name="Profil von Mira Keller ansehen").click()
    max_page.get_by_text("Was Kundinnen und Kunden sagen").wait_for()
    max_page.get_by_text("0 von 1 fanden das hilfreich").wait_for()
    audit(max_page, "assistant-expert-reviews-de")
