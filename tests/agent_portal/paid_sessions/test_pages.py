"""The expert's meter panel over plain HTTP: the expert proposes on the chat page of their
pre-chat, sees the customer's confirmation and the running meter in German and English
with money in the reader's format, pauses, ends with a waiver and reads the summary; a
form sent twice acts once; a waiver that is no amount, or above the amount, is refused on
the page and changes nothing; another staff member sees no panel and may not act."""

from __future__ import annotations

import re

import pytest

from agent_portal.database import utcnow
from agent_portal.paid_sessions.models import PaidSession
from tests.agent_portal.escalation.test_pages import Browser
from tests.agent_portal.paid_sessions.support import make_parties


@pytest.fixture
def setting(world, portal):
    parties = make_parties(world)
    browser = Browser(world, portal, parties.expert)
    yield parties, browser
    browser.http.close()


def command_id(page_text: str) -> str:
    return re.search(r'name="command_id" value="([^"]+)"', page_text).group(1)


def chat(browser, parties, lang="de"):
    page = browser.get(f"/portal/chats/{parties.conversation_id}?lang={lang}")
    assert page.status_code == 200
    return page.text


def test_the_expert_runs_a_session_from_the_panel(world, setting):
    parties, browser = setting
    page = chat(browser, parties)
    assert "Bezahlte Sitzung vorschlagen" in page
    assert "1,50" in page and "pro Minute" in page  # CHF 1.50 in German
    form = {"command_id": command_id(page), "terms": "per_minute"}
    base = f"/portal/chats/{parties.conversation_id}/paid-session"
    assert browser.post(f"{base}/propose", form).status_code == 303
    assert browser.post(f"{base}/propose", form).status_code == 303  # sent twice: acts once
    assert world.count(PaidSession) == 1
    [session] = world.rows(PaidSession)
    assert session.proposed_by == "expert" and session.status == "proposed"
    assert "Die Kundin oder der Kunde bestätigt noch einen Höchstbetrag" in chat(browser, parties)

    parties.run("confirm", session_id=session.id, maximum=2000, now=utcnow())
    english = browser.get(f"{base}?lang=en").text
    assert "Running." in english and "CHF" in english and "20.00" in english
    german = chat(browser, parties)
    assert "Läuft." in german and "20,00" in german

    pause = browser.post(f"{base}/{session.id}/pause", {"command_id": command_id(german) + "x"})
    assert pause.status_code == 303
    paused = chat(browser, parties)
    assert "Sie haben pausiert." in paused and "Um Fortsetzung bitten" in paused

    refused = browser.post(
        f"{base}/{session.id}/end",
        {"command_id": "end-1", "waive": "zwei", "currency": "CHF"},
    )
    assert refused.status_code == 400
    assert "als Zahl" in refused.text
    too_much = browser.post(
        f"{base}/{session.id}/end",
        {"command_id": "end-2", "waive": "999", "currency": "CHF"},
    )
    assert too_much.status_code == 400 and "höchstens" in too_much.text
    assert world.rows(PaidSession)[0].status == "paused"  # nothing changed

    amount = world.rows(PaidSession)[0].amount
    ended = browser.post(
        f"{base}/{session.id}/end", {"command_id": "end-3", "waive": "0", "currency": "CHF"}
    )
    assert ended.status_code == 303
    row = world.rows(PaidSession)[0]
    assert (row.status, row.waived, row.charged) == ("ended", 0, amount)
    summary = chat(browser, parties)
    assert "Ihr Anteil" in summary and "Bezahlte Sitzung vorschlagen" in summary  # a next one


def test_other_staff_see_no_panel_and_cannot_act(world, setting, portal):
    parties, _browser = setting
    anna = world.staff("anna.berger", topics=("computer",), role="admin")
    other = Browser(world, portal, anna)
    try:
        page = other.get(f"/portal/chats/{parties.conversation_id}?lang=en")
        assert 'id="paid-session"' not in page.text
        answer = other.post(
            f"/portal/chats/{parties.conversation_id}/paid-session/propose",
            {"command_id": "x1", "terms": "per_minute"},
        )
        assert answer.status_code in (403, 404)
        assert world.count(PaidSession) == 0
    finally:
        other.http.close()
