"""A question that becomes a ticket because no agent is free: the customer reads that once,
in the status line, together with what happens next (the answer here and by e-mail); the
form says it before the question is asked, the list of conversations and the history say
something else, and nothing on the live help tab or on the agent's pages of the ticket
says the same thing twice; in English and German."""

from __future__ import annotations

import re

import pytest

from agent_portal.chat.models import Conversation
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", ["en", "de"])]

# "nobody is free", however a text words it.
NOBODY_FREE = {
    "en": re.compile(r"\b(nobody|no one|no agent|no-one)\b[^.:]*\b(is|was) (free|available)", re.I),
    "de": re.compile(r"\bniemand\b[^.:]*\b(frei|erreichbar)", re.I),
}
WHAT_NEXT = {"en": "here and by e-mail", "de": "hier und per E-Mail"}


def repeated_lines(text: str) -> list[str]:
    """Lines of a page's visible text (of more than two words) shown more than once."""
    lines = [line.strip() for line in text.splitlines() if len(line.split()) > 2]
    return sorted({line for line in lines if lines.count(line) > 1})


def test_a_ticket_says_once_that_nobody_is_free_and_what_happens_next(
    portal, world, customer_assistant, customer_page, staff_page, language
):
    customer = world.customer(email="erika.mustermann@example.de", language=language)
    anna = world.staff("anna.berger", topics=["email"], name="Anna Berger")
    erika = customer_page(customer_assistant(customer))
    if language != "en":
        choose_language(erika.page, language)
        erika.wait_connected()
    # Before asking, the form says what happens when nobody is free.
    assert erika.page.inner_text("#view-help").count(WHAT_NEXT[language]) == 1
    assert erika.page.locator("#help-start-form").get_by_text(WHAT_NEXT[language]).is_visible()
    erika.page.select_option("#help-topic", "email")
    erika.page.fill("#help-question", "I cannot send e-mails.")
    erika.page.click("#help-start")
    wait_until(lambda: [c.status for c in world.rows(Conversation)] == ["ticket"])
    # The question and the system message that it became a ticket are both on the tab.
    erika.page.locator("#help-messages li[data-seq='2']").wait_for()
    erika.page.locator("#help-status").filter(has_text=WHAT_NEXT[language]).wait_for()

    status = erika.page.inner_text("#help-status")
    tab = erika.page.inner_text("#view-help")
    assert NOBODY_FREE[language].search(status), status
    assert len(NOBODY_FREE[language].findall(tab)) == 1, tab
    assert tab.count(WHAT_NEXT[language]) == 1, tab
    assert repeated_lines(tab) == [], tab
    audit(erika.page, f"assistant-ticket-{language}")

    (conversation,) = world.rows(Conversation)
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/chats/{conversation.id}?lang={language}")
    page.locator("#messages li[data-seq='2']").wait_for()
    seen = page.inner_text("main")
    assert len(NOBODY_FREE[language].findall(seen)) == 1, seen
    assert repeated_lines(seen) == [], seen
    audit(page, f"portal-ticket-{language}")

    page.goto(f"{portal.url}/portal/inbox?lang={language}")
    tickets = page.get_by_test_id("tickets").inner_text()
    assert len(NOBODY_FREE[language].findall(tickets)) <= 1, tickets
    assert repeated_lines(tickets) == [], tickets
