"""Drafting a knowledge article from a chat, over real HTTP: the button on the conversation
page makes a draft of the customer's and the agent's words and opens it in the editor;
drafts stay out of the assistants' search; bad requests store nothing. And which
diagnostics findings come along."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from agent_portal.chat import article_draft
from agent_portal.database import utcnow
from agent_portal.knowledge.models import Article
from isp_common.diagnostics.report import Severity
from tests.agent_portal.knowledge import chats
from tests.agent_portal.knowledge.conftest import create_staff, page_error

PROBLEM = "My printer stopped printing over Wi-Fi after the new router came."
STEPS = "Open the printer's menu, choose Wi-Fi setup and pick the 2.4 GHz network."
SOLVED = [
    ("customer", PROBLEM),
    ("system", "assigned"),
    ("agent", "Hello Erika, let us look at the printer together."),
    ("customer", "It shows “no network”."),
    ("agent", STEPS),
    ("customer", "It prints again, thank you!"),
]
DRAFT_BUTTON = "Draft an article from this chat"
EDITOR = re.compile(r"/portal/knowledge/(\d+)/edit\?done=from_chat")


def stored_articles(db_session) -> list[Article]:
    db_session.expire_all()
    return list(db_session.scalars(select(Article).order_by(Article.id)))


def draft_button(html: str) -> str:
    """The button's tag, to see whether it is disabled."""
    match = re.search(r"<button[^>]*>" + re.escape(DRAFT_BUTTON), html)
    return match.group(0) if match else ""


def test_an_agent_drafts_an_article_from_a_solved_chat(client_for, db_session, http):
    agent = client_for("agent")
    chat = chats.conversation(
        db_session, chats.customer(db_session), SOLVED, agent=agent.staff, status="closed"
    )
    page = agent.get(f"/portal/chats/{chat.id}")
    assert "disabled" not in draft_button(page.text)

    made = agent.post_form(f"/portal/chats/{chat.id}/draft-article")
    assert made.status_code == 303
    article_id = int(EDITOR.fullmatch(made.headers["location"]).group(1))
    editor = agent.get(made.headers["location"])
    assert editor.status_code == 200
    assert "This draft was made from the conversation." in editor.text
    assert f'value="{PROBLEM}"' in editor.text

    [article] = stored_articles(db_session)
    assert article.id == article_id
    assert (article.status, article.language, article.author_id) == ("draft", "en", agent.staff.id)
    assert article.problem == PROBLEM
    assert article.symptoms == f"{PROBLEM}\n\nIt shows “no network”.\n\nIt prints again, thank you!"
    assert article.solution == f"Hello Erika, let us look at the printer together.\n\n{STEPS}"
    assert article.finding_ids == []  # the customer sent no report

    for words in ("printer", "router"):
        found = http.get("/api/v1/knowledge/search", params={"q": words, "lang": "en"})
        assert found.status_code == 200 and found.json()["articles"] == []


def test_bad_requests_store_nothing(client_for, db_session):
    agent = client_for("agent")
    owner = chats.customer(db_session)
    waiting = chats.conversation(db_session, owner, [("customer", PROBLEM)], status="queued")
    answered = chats.conversation(db_session, owner, SOLVED, agent=agent.staff)

    unknown = agent.post_form("/portal/chats/999999/draft-article")
    assert unknown.status_code == 404 and "Conversation not found" in unknown.text

    # Without an agent's answer there is no solution: the button says why it is off.
    page = agent.get(f"/portal/chats/{waiting.id}")
    assert "disabled" in draft_button(page.text)
    assert "Possible once an agent has answered" in page.text
    refused = agent.post_form(f"/portal/chats/{waiting.id}/draft-article")
    assert refused.status_code == 409
    assert page_error(refused.text).startswith("There is nothing to draft an article from yet")

    no_token = agent.http.post(f"/portal/chats/{answered.id}/draft-article", data={})
    wrong_token = agent.http.post(
        f"/portal/chats/{answered.id}/draft-article", data={"csrf_token": "forged"}
    )
    assert (no_token.status_code, wrong_token.status_code) == (403, 403)

    expert = client_for("expert")
    forbidden = expert.post_form(f"/portal/chats/{answered.id}/draft-article")
    assert forbidden.status_code == 403
    assert db_session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_findings_of_the_report_sent_during_the_chat_come_along(db_session):
    agent = create_staff(db_session, "anna.berger", "agent")
    owner = chats.customer(db_session, language="de")
    linked = chats.device(db_session, owner)
    started = utcnow() - timedelta(days=3)
    chats.report(
        db_session,
        linked,
        agent,
        {"email.servers.unreachable": Severity.critical},
        received=started - timedelta(days=3),  # an old problem, long solved
    )
    chats.report(
        db_session,
        linked,
        agent,
        {
            "internet.wifi.weak_signal": Severity.warning,
            "internet.wifi.band_2_4": Severity.info,
            "internet.dns.ok": Severity.ok,
            "internet.teleport.broken": Severity.warning,  # from a newer assistant
        },
        received=started + timedelta(minutes=3),
    )
    chat = chats.conversation(db_session, owner, SOLVED, agent=agent, started=started)

    article = article_draft.draft_article(
        db_session=db_session,
        conversation_id=chat.id,
        author=agent,
        default_language="en",
        now=utcnow(),
    )
    assert sorted(article.finding_ids) == ["internet.wifi.band_2_4", "internet.wifi.weak_signal"]
    assert article.language == "de"  # the customer's

    later = chats.conversation(
        db_session, owner, SOLVED, agent=agent, started=utcnow() - timedelta(days=1)
    )
    article = article_draft.draft_article(
        db_session=db_session,
        conversation_id=later.id,
        author=agent,
        default_language="en",
        now=utcnow(),
    )
    assert article.finding_ids == []  # the customer sent no report near this one
