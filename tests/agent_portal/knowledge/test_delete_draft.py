"""Deleting a draft in the service, on both databases: the draft goes with its findings and
its entry in the full-text index; a published article, an unknown id or a failure delete
nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from agent_portal.database import make_engine, make_session_factory
from agent_portal.knowledge import service
from agent_portal.knowledge.errors import ArticleIsPublished
from agent_portal.knowledge.models import FTS_TABLE, Article, ArticleFinding, ArticleStatus
from tests.agent_portal.knowledge.conftest import write_article


def count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def found(db_session, query: str) -> list[str]:
    articles = service.search(db_session=db_session, query=query, status=None)
    return [article.problem for article in articles]


def test_a_deleted_draft_leaves_nothing_behind(db_session, author):
    kept = write_article(db_session, author, problem="Router blinks red", published=False)
    draft = write_article(
        db_session,
        author,
        problem="Zebra modem hums at night",
        symptoms="A humming noise.",
        tags=["noise"],
        finding_ids=["internet.wifi.weak_signal"],
        published=False,
    )
    assert found(db_session, "zebra") == ["Zebra modem hums at night"]

    deleted = service.delete_draft(db_session=db_session, article_id=draft.id)
    assert deleted.problem == "Zebra modem hums at night"
    assert count(db_session, Article) == 1 and count(db_session, ArticleFinding) == 0
    assert service.get(db_session=db_session, article_id=draft.id) is None
    assert found(db_session, "zebra") == [] and found(db_session, "humming") == []
    assert found(db_session, "router") == ["Router blinks red"]
    if db_session.get_bind().dialect.name == "sqlite":
        # The contentless FTS5 table forgot the row (its delete trigger), not just the join.
        rows = db_session.execute(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'zebra OR noise'")
        ).all()
        assert rows == []

    # SQLite may give the next article the deleted draft's id: the old words stay gone.
    newer = write_article(db_session, author, problem="Slow Wi-Fi upstairs", published=False)
    assert found(db_session, "zebra") == [] and found(db_session, "upstairs") == [newer.problem]
    assert kept.id != newer.id


def test_published_and_unknown_articles_are_not_deleted(db_session, author):
    article = write_article(db_session, author, problem="Printer offline", tags=["printer"])
    with pytest.raises(ArticleIsPublished) as refused:
        service.delete_draft(db_session=db_session, article_id=article.id)
    assert str(refused.value.problem) == (
        "A published article cannot be deleted: take it back to draft first."
    )
    assert service.get(db_session=db_session, article_id=article.id).is_published
    assert found(db_session, "printer") == ["Printer offline"]
    assert service.delete_draft(db_session=db_session, article_id=999_999) is None
    assert count(db_session, Article) == 1


def test_a_draft_published_meanwhile_is_not_deleted(db_session, database_url, author):
    draft = write_article(db_session, author, problem="Printer offline", published=False)
    # Another request publishes it while this session still holds it as a draft.
    engine = make_engine(database_url)
    with make_session_factory(engine)() as other:
        service.set_status(db_session=other, article_id=draft.id, status=ArticleStatus.PUBLISHED)
        other.commit()
    engine.dispose()
    assert draft.status == "draft"

    with pytest.raises(ArticleIsPublished):
        service.delete_draft(db_session=db_session, article_id=draft.id)
    assert service.get(db_session=db_session, article_id=draft.id).is_published
    assert count(db_session, Article) == 1


def test_a_delete_whose_request_fails_deletes_nothing(db_session, author):
    draft = write_article(
        db_session,
        author,
        problem="Zebra modem hums at night",
        finding_ids=["internet.wifi.weak_signal"],
        published=False,
    )

    service.delete_draft(db_session=db_session, article_id=draft.id)
    db_session.rollback()  # the route failed before its commit: its session rolls back
    assert count(db_session, Article) == 1 and count(db_session, ArticleFinding) == 1
    assert found(db_session, "zebra") == ["Zebra modem hums at night"]
    assert service.delete_draft(db_session=db_session, article_id=draft.id) is not None
