"""The knowledge pages over real HTTP: writing, editing and publishing through the forms,
what bad input shows and leaves stored, searching, and what experts may do."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from agent_portal.knowledge import service
from agent_portal.knowledge.models import Article
from tests.agent_portal.knowledge.conftest import field_errors, page_error, write_article

FORM = {
    "problem": "Outlook asks for the password again and again",
    "symptoms": "A password window pops up every few minutes.",
    "solution": "1. Remove the saved password.\n2. Enter the new one once.",
    "tags": "outlook, password",
    "language": "en",
}


def stored_articles(db_session) -> list[Article]:
    db_session.expire_all()
    return list(db_session.scalars(select(Article).order_by(Article.id)))


def test_an_agent_writes_edits_and_publishes_an_article(client_for, db_session):
    agent = client_for("agent")
    form = agent.get("/portal/knowledge/new")
    assert form.status_code == 200
    assert 'value="internet.wifi.weak_signal"' in form.text
    assert "The Wi-Fi signal is weak" in form.text

    created = agent.post_form(
        "/portal/knowledge", {**FORM, "finding_ids": ["email.servers.unreachable"]}
    )
    assert created.status_code == 303
    location = created.headers["location"]
    assert re.fullmatch(r"/portal/knowledge/\d+\?done=created", location)
    page = agent.get(location)
    assert "The article has been saved as a draft." in page.text
    assert '<span class="badge draft" data-testid="status">Draft</span>' in page.text
    assert "email.servers.unreachable" in page.text
    [article] = stored_articles(db_session)
    assert article.status == "draft" and article.tag_list == ["outlook", "password"]
    assert article.author.username == "agent1"

    edited = agent.post_form(
        f"/portal/knowledge/{article.id}",
        {**FORM, "problem": "Outlook keeps asking for the password", "tags": "outlook"},
    )
    assert edited.headers["location"] == f"/portal/knowledge/{article.id}?done=saved"
    published = agent.post_form(f"/portal/knowledge/{article.id}/publish")
    assert published.headers["location"] == f"/portal/knowledge/{article.id}?done=published"
    [article] = stored_articles(db_session)
    assert article.problem == "Outlook keeps asking for the password"
    assert article.status == "published" and article.finding_ids == []

    back = agent.post_form(f"/portal/knowledge/{article.id}/unpublish")
    assert back.headers["location"].endswith("?done=unpublished")
    assert stored_articles(db_session)[0].status == "draft"


def test_bad_form_input_is_shown_on_the_page_and_nothing_is_stored(client_for, db_session):
    agent = client_for("agent")
    refused = agent.post_form(
        "/portal/knowledge",
        {
            **FORM,
            "problem": "   ",
            "symptoms": "s" * 5001,
            "finding_ids": ["internet.wifi.weak_signal", "internet.teleport.broken"],
        },
    )
    assert refused.status_code == 400
    assert page_error(refused.text) == (
        "The article was not saved. Please correct the marked fields."
    )
    assert field_errors(refused.text) == {
        "problem": "Describe the problem in one line.",
        "symptoms": "The symptoms are too long: at most 5000 characters, not 5001.",
        "finding_ids": "Unknown finding: internet.teleport.broken. Choose findings from the list.",
    }
    # What was typed stays in the form, so nothing has to be typed again.
    assert "1. Remove the saved password." in refused.text
    assert re.search(r'value="internet.wifi.weak_signal" checked', refused.text)
    assert stored_articles(db_session) == []

    article = write_article(db_session, None, problem="Printer offline", solution="Reboot it.")
    too_long = agent.post_form(f"/portal/knowledge/{article.id}", {**FORM, "problem": "p" * 201})
    assert too_long.status_code == 400
    assert field_errors(too_long.text)["problem"] == (
        "The problem is too long: at most 200 characters, not 201."
    )
    [unchanged] = stored_articles(db_session)
    assert (unchanged.problem, unchanged.solution) == ("Printer offline", "Reboot it.")

    draft = write_article(db_session, None, problem="No sound", solution="", published=False)
    not_ready = agent.post_form(f"/portal/knowledge/{draft.id}/publish")
    assert not_ready.status_code == 400
    assert page_error(not_ready.text) == ("A published article needs a solution: write it first.")
    assert service.get(db_session=db_session, article_id=draft.id).status == "draft"


def test_a_form_without_its_security_token_changes_nothing(client_for, db_session):
    agent = client_for("agent")
    article = write_article(db_session, None, problem="Printer offline", published=False)
    forged = agent.http.post(f"/portal/knowledge/{article.id}/publish", data={})
    assert forged.status_code == 403
    forged = agent.http.post("/portal/knowledge", data={**FORM, "csrf_token": "guessed"})
    assert forged.status_code == 403
    assert [a.status for a in stored_articles(db_session)] == ["draft"]


def test_search_ranks_and_explains_in_english_and_german(client_for, db_session):
    write_article(db_session, None, problem="Drucker druckt nicht", language="de")
    write_article(
        db_session,
        None,
        problem="Papierstau",
        solution="Drucker öffnen, Papier entfernen.",
        language="de",
    )
    agent = client_for("agent")
    found = agent.get("/portal/knowledge", params={"q": "drucker"})
    assert "2 articles match “drucker”, best match first." in found.text
    titles = re.findall(r'<h2><a href="/portal/knowledge/\d+">([^<]+)</a></h2>', found.text)
    assert titles == ["Drucker druckt nicht", "Papierstau"]

    broken = agent.get("/portal/knowledge", params={"q": '"(drucker* AND -'})
    assert broken.status_code == 200
    nothing = agent.get("/portal/knowledge", params={"q": "Faxgerät", "lang": "de"})
    assert "Kein Artikel passt zu „Faxgerät“." in nothing.text


def test_experts_read_published_articles_but_write_nothing(client_for, db_session):
    published = write_article(db_session, None, problem="Published article")
    draft = write_article(db_session, None, problem="Draft article", published=False)
    expert = client_for("expert")

    listing = expert.get("/portal/knowledge")
    assert "Published article" in listing.text and "Draft article" not in listing.text
    assert "New article" not in listing.text
    page = expert.get(f"/portal/knowledge/{published.id}")
    assert page.status_code == 200 and "Edit" not in page.text
    assert expert.get(f"/portal/knowledge/{draft.id}").status_code == 404
    assert expert.get("/portal/knowledge", params={"q": "draft"}).text.count("Draft article") == 0
    assert expert.get("/portal/knowledge/new").status_code == 403
    assert expert.post_form(f"/portal/knowledge/{published.id}/unpublish").status_code == 403
    assert expert.post_form("/portal/knowledge", FORM).status_code == 403
    assert service.get(db_session=db_session, article_id=published.id).is_published
    assert db_session.scalar(select(func.count()).select_from(Article)) == 2


def test_unknown_articles_and_anonymous_visitors(client_for, http):
    agent = client_for("admin")
    for path in ("/portal/knowledge/999999", "/portal/knowledge/abc", "/portal/knowledge/1/edit"):
        missing = agent.get(path)
        assert missing.status_code == 404, path
        assert "There is no such article" in missing.text
    assert agent.post_form("/portal/knowledge/999999/publish").status_code == 404
    anonymous = http.get("/portal/knowledge?q=wlan", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=%2Fportal%2Fknowledge%3Fq%3Dwlan"


def article_titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/portal/knowledge/\d+">([^<]+)</a></h2>', html)


def test_an_agent_deletes_a_draft_after_confirming(client_for, db_session):
    kept = write_article(db_session, None, problem="Router blinks red", published=False)
    draft = write_article(
        db_session,
        None,
        problem="Zebra modem hums at night",
        solution="Move the modem away from the fridge.",
        finding_ids=["internet.wifi.weak_signal"],
        published=False,
    )
    agent = client_for("agent")
    page = agent.get(f"/portal/knowledge/{draft.id}")
    # The real button is inside the confirmation, with the session's token.
    confirmation = re.search(
        r'<details class="delete-draft".*?<form method="post" '
        rf'action="/portal/knowledge/{draft.id}/delete".*?</details>',
        page.text,
        re.S,
    )
    assert confirmation is not None
    assert f'name="csrf_token" value="{agent.csrf}"' in confirmation.group(0)
    assert "Delete this draft for good? It cannot be brought back." in confirmation.group(0)
    assert "Yes, delete the draft" in confirmation.group(0)
    assert "Zebra" in agent.get("/portal/knowledge", params={"q": "zebra"}).text

    deleted = agent.post_form(f"/portal/knowledge/{draft.id}/delete")
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/portal/knowledge?done=deleted"
    listing = agent.get(deleted.headers["location"])
    assert '<p class="notice" role="status">The draft has been deleted.</p>' in listing.text
    assert article_titles(listing.text) == ["Router blinks red"]
    found = agent.get("/portal/knowledge", params={"q": "zebra", "status": "draft"})
    assert article_titles(found.text) == []
    assert "No article matches “zebra”." in found.text
    assert agent.get(f"/portal/knowledge/{draft.id}").status_code == 404
    assert [article.id for article in stored_articles(db_session)] == [kept.id]

    # In German too.
    german = agent.get(f"/portal/knowledge/{kept.id}", params={"lang": "de"})
    assert "Entwurf löschen" in german.text
    gone = agent.get("/portal/knowledge", params={"done": "deleted", "lang": "de"})
    assert "Der Entwurf ist gelöscht." in gone.text


def test_a_published_article_cannot_be_deleted(client_for, db_session):
    article = write_article(db_session, None, problem="Printer offline", tags=["printer"])
    agent = client_for("agent")
    page = agent.get(f"/portal/knowledge/{article.id}")
    assert "Delete draft" not in page.text and "/delete" not in page.text

    refused = agent.post_form(f"/portal/knowledge/{article.id}/delete")
    assert refused.status_code == 409
    assert page_error(refused.text) == (
        "A published article cannot be deleted: take it back to draft first."
    )
    assert "Printer offline" in refused.text  # the article page, as it was
    [unchanged] = stored_articles(db_session)
    assert unchanged.is_published and unchanged.problem == "Printer offline"
    assert unchanged.tag_list == ["printer"]
    found = agent.get("/portal/knowledge", params={"q": "printer"})
    assert article_titles(found.text) == ["Printer offline"]

    german = agent.http.post(
        f"/portal/knowledge/{article.id}/delete",
        params={"lang": "de"},
        data={"csrf_token": agent.csrf},
    )
    assert page_error(german.text) == (
        "Ein veröffentlichter Artikel lässt sich nicht löschen: "
        "Machen Sie ihn zuerst wieder zum Entwurf."
    )

    # Taken back to draft first, it can go.
    agent.post_form(f"/portal/knowledge/{article.id}/unpublish")
    assert agent.post_form(f"/portal/knowledge/{article.id}/delete").status_code == 303
    assert stored_articles(db_session) == []


def test_experts_and_forged_forms_delete_nothing(client_for, db_session):
    draft = write_article(db_session, None, problem="Draft article", published=False)
    published = write_article(db_session, None, problem="Published article")
    expert = client_for("expert")
    assert "Delete draft" not in expert.get(f"/portal/knowledge/{published.id}").text
    for article in (draft, published):
        assert expert.post_form(f"/portal/knowledge/{article.id}/delete").status_code == 403

    agent = client_for("agent")
    forged = agent.http.post(f"/portal/knowledge/{draft.id}/delete", data={})
    assert forged.status_code == 403
    forged = agent.http.post(f"/portal/knowledge/{draft.id}/delete", data={"csrf_token": "guessed"})
    assert forged.status_code == 403
    assert [(a.problem, a.status) for a in stored_articles(db_session)] == [
        ("Draft article", "draft"),
        ("Published article", "published"),
    ]


def test_deleting_an_unknown_article_shows_not_found(client_for, db_session):
    agent = client_for("agent")
    for path in ("/portal/knowledge/999999/delete", "/portal/knowledge/abc/delete"):
        missing = agent.post_form(path)
        assert missing.status_code == 404, path
        assert "There is no such article" in missing.text
    draft = write_article(db_session, None, problem="Twice deleted", published=False)
    assert agent.post_form(f"/portal/knowledge/{draft.id}/delete").status_code == 303
    again = agent.post_form(f"/portal/knowledge/{draft.id}/delete")
    assert again.status_code == 404


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
