"""From a chat to a knowledge article in Debian's Chromium: the draft button waits for the
agent's first answer, comes alive when the answer is sent, and opens the editor with the
conversation's words filled in. Screenshots go to test-output/."""

from __future__ import annotations

import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from tests.agent_portal.knowledge import chats
from tests.agent_portal.knowledge.conftest import create_staff
from tests.support.portal_data import new_portal_session

pytestmark = pytest.mark.browser

PROBLEM = "The laptop loses the Wi-Fi every evening."
ANSWER = "1. Open the router's page.\n2. Set the Wi-Fi channel to 6 instead of automatic."


def test_agent_answers_and_drafts_an_article_from_the_chat(
    portal, db_session, page, output_dir, database_url
):
    agent = create_staff(db_session, "anna.berger", "agent")
    owner = chats.customer(db_session)
    chat = chats.conversation(db_session, owner, [("customer", PROBLEM)], agent=agent)
    session = new_portal_session(db_session, agent)
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": session.token, "url": portal.url, "httpOnly": True}]
    )
    page.set_default_timeout(30_000)

    page.goto(f"{portal.url}/portal/chats/{chat.id}?lang=en")
    button = page.locator("[data-testid=draft-article] button")
    assert button.is_disabled()
    assert page.is_visible("#draft-article-reason")

    # The answer goes over the staff channel; the button works once it is stored.
    page.wait_for_selector("[data-testid=connection-state]:has-text('Connected.')")
    page.fill("#message-text", ANSWER)
    page.click("#composer button[type=submit]")
    page.wait_for_selector("[data-testid=draft-article] button:not([disabled])")
    assert page.is_hidden("#draft-article-reason")
    shots = database_url.startswith("sqlite")  # one set of pictures is enough
    if shots:
        page.screenshot(path=output_dir / "chat-draft-button.png", full_page=True)

    button.click()
    page.wait_for_url("**/portal/knowledge/*/edit?done=from_chat")
    assert "made from the conversation" in page.inner_text("p.notice")
    assert page.input_value("#problem") == PROBLEM
    assert page.input_value("#symptoms") == PROBLEM
    assert page.input_value("#solution") == ANSWER
    assert page.input_value("#language") == "en"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    if shots:
        page.screenshot(path=output_dir / "chat-draft-article.png", full_page=True)
