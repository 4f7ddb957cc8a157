"""`GET /api/knowledge/findings/{finding_id}` of the real headless assistant: the portal's
published articles in the assistant's language, ready for the page; nothing (and no
error) without a server; a quiet "unavailable" when the server is down; 422 for garbage."""

from __future__ import annotations

import httpx

from tests.agent_portal.knowledge.conftest import write_article
from tests.support.premium_portal import unreachable_url

ROUTER = "internet.gateway.no_answer"
PATH = f"/api/knowledge/findings/{ROUTER}"


def test_the_articles_of_a_finding_come_in_the_assistants_language(
    portal, db_session, author, start_assistant
):
    write_article(db_session, author, problem="The router does not answer", finding_ids=[ROUTER])
    german = write_article(
        db_session,
        author,
        problem="Der Router antwortet nicht",
        symptoms="Keine Seite lädt.\nDie Lampen am Router sind aus.",
        solution="1. Router einschalten.\n2. Neu starten.\n\nHilft das nicht, rufen Sie an.",
        language="de",
        finding_ids=[ROUTER],
    )
    write_article(
        db_session, author, problem="Entwurf", language="de", finding_ids=[ROUTER], published=False
    )
    assistant = start_assistant(portal.url, lang="de")

    with assistant.client() as client:
        answer = client.get(PATH)

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "available": True,
        "reason": None,
        "articles": [
            {
                "id": german.id,
                "language": "de",
                "problem": "Der Router antwortet nicht",
                "symptoms": ["Keine Seite lädt.", "Die Lampen am Router sind aus."],
                "solution": [
                    {"steps": ["Router einschalten.", "Neu starten."]},
                    {"text": "Hilft das nicht, rufen Sie an."},
                ],
            }
        ],
    }


def test_without_a_server_there_are_no_articles_and_no_error(start_assistant):
    assistant = start_assistant(None)
    with assistant.client() as client:
        answer = client.get(PATH)
    assert answer.status_code == 200
    assert answer.json() == {"available": False, "reason": "no_server", "articles": []}


def test_a_server_that_is_down_makes_the_articles_unavailable(start_assistant):
    assistant = start_assistant(unreachable_url())
    with assistant.client() as client:
        answer = client.get(PATH)
    assert answer.status_code == 200
    assert answer.json() == {"available": False, "reason": "unreachable", "articles": []}


def test_garbage_instead_of_a_finding_id_gets_a_clear_error(start_assistant):
    assistant = start_assistant(None)
    with assistant.client() as client:
        for garbage in ("router", "Internet.Gateway", "a.b%3B--", "a.%20b", "a." + "b" * 99):
            answer = client.get(f"/api/knowledge/findings/{garbage}")
            assert answer.status_code == 422, garbage
            assert answer.json()["error"].startswith("a finding id is lower-case words"), garbage
    stranger = httpx.get(f"{assistant.base_url}{PATH}", timeout=10)
    assert stranger.status_code == 403  # the per-launch secret guards this route too
