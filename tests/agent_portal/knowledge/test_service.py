"""The knowledge service on both databases: writing, editing and publishing articles,
refusing bad input without storing any of it, the articles of a finding, drafts from a
conversation, and the starter articles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from agent_portal.database import utcnow
from agent_portal.knowledge import seed, service
from agent_portal.knowledge.errors import InvalidArticle
from agent_portal.knowledge.findings import diagnostics_catalogue
from agent_portal.knowledge.models import Article, ArticleFinding, ArticleStatus
from tests.agent_portal.knowledge.conftest import write_article


def count_articles(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Article))


def test_an_article_is_written_as_a_draft_edited_and_published(db_session, author):
    article_in = service.validate(
        problem_text="  Das WLAN   bricht\tab ",
        symptoms="Videos stocken.\r\nIm Wohnzimmer kein Netz.\n\n\n\nAbends schlimmer.",
        solution="1. Router neu starten.\n2. Repeater aufstellen.",
        tags="WLAN, router; wlan, Repeater",
        language="de",
        finding_ids=["internet.wifi.weak_signal", "internet.wifi.weak_signal"],
    )
    created = service.create(db_session=db_session, author=author, article_in=article_in)
    article = service.get(db_session=db_session, article_id=created.id)
    assert article.status == "draft" and article.published_at is None
    assert article.problem == "Das WLAN bricht ab"
    assert article.symptoms == "Videos stocken.\nIm Wohnzimmer kein Netz.\n\nAbends schlimmer."
    assert article.tag_list == ["WLAN", "router", "Repeater"]
    assert article.finding_ids == ["internet.wifi.weak_signal"]
    assert article.author.username == "anna.berger"

    later = utcnow() + timedelta(minutes=5)
    changed_in = service.validate(
        problem_text="Das WLAN bricht im Wohnzimmer ab",
        solution="Repeater in den Flur stellen.",
        language="de",
        finding_ids=["internet.wifi.band_2_4", "internet.wifi.weak_signal"],
    )
    service.update(db_session=db_session, article_id=article.id, article_in=changed_in, now=later)
    published = service.set_status(
        db_session=db_session, article_id=article.id, status=ArticleStatus.PUBLISHED, now=later
    )
    db_session.expire_all()
    stored = service.get(db_session=db_session, article_id=article.id)
    assert stored.problem == "Das WLAN bricht im Wohnzimmer ab"
    assert stored.tag_list == [] and stored.symptoms == ""
    assert stored.finding_ids == ["internet.wifi.band_2_4", "internet.wifi.weak_signal"]
    assert stored.is_published and published.published_at == later
    assert stored.updated_at == later and stored.created_at < later

    service.set_status(db_session=db_session, article_id=article.id, status=ArticleStatus.DRAFT)
    assert service.get(db_session=db_session, article_id=article.id, published_only=True) is None
    assert service.get(db_session=db_session, article_id=999_999) is None
    assert (
        service.set_status(
            db_session=db_session, article_id=999_999, status=ArticleStatus.PUBLISHED
        )
        is None
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"problem_text": "   "}, "problem", "Describe the problem in one line."),
        (
            {"problem_text": "x" * 201},
            "problem",
            "The problem is too long: at most 200 characters, not 201.",
        ),
        (
            {"solution": "y" * 10_001},
            "solution",
            "The solution is too long: at most 10000 characters, not 10001.",
        ),
        ({"tags": ["a" * 41]}, "tags", "is too long: at most 40 characters."),
        ({"tags": [f"t{n}" for n in range(11)]}, "tags", "Too many tags: at most 10, not 11."),
        ({"language": "fr"}, "language", "Choose German or English"),
        (
            {"finding_ids": ["internet.wifi.weak_signal", "internet.teleport.broken"]},
            "finding_ids",
            "Unknown finding: internet.teleport.broken.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(fields, field, message):
    given = {"problem_text": "Printer offline", "language": "en", **fields}
    with pytest.raises(InvalidArticle) as refused:
        service.validate(**given)
    assert list(refused.value.problems) == [field]
    assert message in str(refused.value.problems[field])


def test_every_problem_of_a_form_is_named_at_once():
    with pytest.raises(InvalidArticle) as refused:
        service.validate(problem_text="", language="xx", finding_ids=["nope"])
    assert set(refused.value.problems) == {"problem", "language", "finding_ids"}


def test_publishing_needs_a_solution(db_session, author):
    draft = write_article(db_session, author, problem="No sound", solution="", published=False)
    with pytest.raises(InvalidArticle) as refused:
        service.set_status(
            db_session=db_session, article_id=draft.id, status=ArticleStatus.PUBLISHED
        )
    assert "needs a solution" in str(refused.value.problems["solution"])
    db_session.expire_all()
    assert service.get(db_session=db_session, article_id=draft.id).status == "draft"
    # A published article cannot lose its solution by an edit either.
    published = write_article(db_session, author, problem="Sound crackles", solution="Cable.")
    emptied = service.validate(problem_text="Sound crackles", language="en")
    with pytest.raises(InvalidArticle):
        service.update(db_session=db_session, article_id=published.id, article_in=emptied)
    db_session.expire_all()
    assert service.get(db_session=db_session, article_id=published.id).solution == "Cable."


def test_a_finding_gets_its_published_articles_in_the_asked_language_first(db_session, author):
    wifi = ["internet.wifi.weak_signal"]
    english = write_article(db_session, author, problem="Weak Wi-Fi", finding_ids=wifi)
    german = write_article(
        db_session, author, problem="Schwaches WLAN", language="de", finding_ids=wifi
    )
    write_article(db_session, author, problem="Draft", finding_ids=wifi, published=False)
    write_article(db_session, author, problem="Other", finding_ids=["internet.dns.failed"])

    in_german = service.for_finding(
        db_session=db_session, finding_id="internet.wifi.weak_signal", language="de"
    )
    in_english = service.for_finding(
        db_session=db_session, finding_id="internet.wifi.weak_signal", language="en"
    )
    assert [a.id for a in in_german] == [german.id, english.id]
    assert [a.id for a in in_english] == [english.id, german.id]
    assert service.for_finding(db_session=db_session, finding_id="x.y", language="de") == []


def test_a_solved_conversation_becomes_a_draft_to_edit(db_session, author):
    messages = [
        ("customer", "Hallo, mein WLAN bricht ständig ab."),
        ("system", "Anna Berger has joined the chat."),
        ("agent", "Guten Tag! Wo steht der Router?"),
        ("customer", "Im Keller.\r\nOben im Arbeitszimmer geht gar nichts."),
        ("agent", "Stellen Sie den Router ins Erdgeschoss und starten Sie ihn neu."),
        ("customer", "   "),
        ("customer", "Jetzt geht es, danke!"),
        ("Expert", "Ein Repeater im Flur hilft auch."),
    ]
    draft = service.draft_from_transcript(
        db_session=db_session,
        author=author,
        title="WLAN bricht im Arbeitszimmer ab",
        messages=messages,
        finding_ids=["internet.wifi.weak_signal"],
    )
    db_session.expire_all()
    stored = service.get(db_session=db_session, article_id=draft.id)
    assert stored.status == "draft" and stored.language == "de"
    assert stored.problem == "WLAN bricht im Arbeitszimmer ab"
    assert stored.symptoms == (
        "Hallo, mein WLAN bricht ständig ab.\n\n"
        "Im Keller.\nOben im Arbeitszimmer geht gar nichts.\n\n"
        "Jetzt geht es, danke!"
    )
    assert stored.solution == (
        "Guten Tag! Wo steht der Router?\n\n"
        "Stellen Sie den Router ins Erdgeschoss und starten Sie ihn neu.\n\n"
        "Ein Repeater im Flur hilft auch."
    )
    assert "joined" not in stored.symptoms + stored.solution
    assert stored.finding_ids == ["internet.wifi.weak_signal"]
    assert stored.author_id == author.id


def test_without_a_title_the_first_customer_message_is_the_problem(db_session, author):
    long_first = "My e-mail program keeps asking for the password " + "again and " * 40
    draft = service.draft_from_transcript(
        db_session=db_session,
        author=author,
        title=" ",
        messages=[("agent", "How can I help?"), ("customer", long_first)],
        language="en",
    )
    assert draft.problem.startswith("My e-mail program keeps asking for the password")
    assert len(draft.problem) <= 200 and draft.problem.endswith("…")
    assert draft.symptoms == long_first.strip()


def test_a_conversation_without_a_problem_or_with_unknown_findings_makes_no_draft(
    db_session, author
):
    with pytest.raises(InvalidArticle) as refused:
        service.draft_from_transcript(
            db_session=db_session,
            author=author,
            title="",
            messages=[("agent", "Hello?"), ("system", "The customer left.")],
        )
    assert "problem" in refused.value.problems
    with pytest.raises(InvalidArticle) as refused:
        service.draft_from_transcript(
            db_session=db_session,
            author=author,
            title="Slow",
            messages=[("customer", "Slow.")],
            finding_ids=["internet.wifi.weak"],
        )
    assert "internet.wifi.weak" in str(refused.value.problems["finding_ids"])
    assert count_articles(db_session) == 0


def test_starter_articles_load_once_and_explain_known_findings(db_session, author):
    topics = {starter.key.rsplit(".", 1)[0] for starter in seed.STARTER_ARTICLES}
    assert 5 <= len(topics) <= 8
    for topic in topics:
        languages = {s.language for s in seed.STARTER_ARTICLES if s.key.startswith(topic + ".")}
        assert languages == {"de", "en"}, topic
    known = diagnostics_catalogue()
    for starter in seed.STARTER_ARTICLES:
        assert all(known.is_known(item) for item in starter.finding_ids), starter.key

    added = seed.load_starter_articles(db_session=db_session, author=author)
    assert len(added) == len(seed.STARTER_ARTICLES)
    assert all(article.is_published for article in added)
    # The hotline edits one; loading again adds nothing and keeps the edit.
    edited = service.validate(
        problem_text="Die Festplatte ist voll (eigene Fassung)",
        solution="Aufräumen.",
        language="de",
    )
    service.update(db_session=db_session, article_id=added[0].id, article_in=edited)
    assert seed.load_starter_articles(db_session=db_session, author=author) == []
    assert count_articles(db_session) == len(seed.STARTER_ARTICLES)
    db_session.expire_all()
    assert service.get(db_session=db_session, article_id=added[0].id).solution == "Aufräumen."
    storage = service.for_finding(
        db_session=db_session, finding_id="computer.storage.almost_full", language="de"
    )
    assert [a.language for a in storage] == ["de", "en"]
    assert db_session.scalar(select(func.count()).select_from(ArticleFinding)) >= 14
