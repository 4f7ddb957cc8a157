"""Full-text search of articles: one entry point, `search_articles`, and one implementation
per database, picked by the session's dialect (the way psutil picks its OS backend). The
query syntax and how it reaches each database's engine: `agent_portal.fulltext`.

The index: an FTS5 table on SQLite, a tsvector column built with the article's language
on PostgreSQL (migration k001).

Ranking: a match in the problem counts most, then the tags, the symptoms, the solution.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, case, cast, func, literal_column, or_, select, table
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Session

from agent_portal import fulltext
from agent_portal.fulltext import QUERY_MAX
from agent_portal.knowledge.models import FTS_TABLE, Article, ArticleStatus

__all__ = ["QUERY_MAX", "search_articles"]

# bm25 weights of the FTS5 columns: problem, symptoms, solution, tags.
_FTS5_WEIGHTS = (10.0, 2.0, 1.0, 5.0)


def _filtered(
    statement: Select, status: ArticleStatus | None, language_first: str | None
) -> Select:
    if status is not None:
        statement = statement.where(Article.status == status.value)
    if language_first:
        statement = statement.order_by(Article.language != language_first)
    return statement


def _search_sqlite(
    db_session: Session,
    text: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    match = fulltext.fts5_match(FTS_TABLE, text)
    if match is None:
        return []
    rowid, matches = match
    statement = select(Article).join(table(FTS_TABLE), rowid == Article.id).where(matches)
    statement = _filtered(statement, status, language_first)
    rank = func.bm25(literal_column(FTS_TABLE), *_FTS5_WEIGHTS)  # lower is better
    statement = statement.order_by(rank, Article.updated_at.desc()).limit(limit)
    return list(db_session.scalars(statement))


def _search_postgresql(
    db_session: Session,
    text: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    return fulltext.with_shorter_forms(
        text,
        lambda expression: _match_postgresql(db_session, expression, status, language_first, limit),
    )


def _match_postgresql(
    db_session: Session,
    expression: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    german = func.to_tsquery(cast("german", REGCONFIG), expression)
    english = func.to_tsquery(cast("english", REGCONFIG), expression)
    vector = literal_column(f"{Article.__tablename__}.search_vector", TSVECTOR)
    statement = select(Article).where(
        or_(
            and_(Article.language == "de", vector.op("@@")(german)),
            and_(Article.language == "en", vector.op("@@")(english)),
        )
    )
    statement = _filtered(statement, status, language_first)
    rank = func.ts_rank(vector, case((Article.language == "de", german), else_=english))
    statement = statement.order_by(rank.desc(), Article.updated_at.desc()).limit(limit)
    return list(db_session.scalars(statement))


_BACKENDS = {"sqlite": _search_sqlite, "postgresql": _search_postgresql}


def search_articles(
    *,
    db_session: Session,
    query: str,
    status: ArticleStatus | None = ArticleStatus.PUBLISHED,
    language_first: str | None = None,
    limit: int = 50,
) -> list[Article]:
    """Articles matching `query` with that status (None: any), best match first (those in
    `language_first` before the others). Any text is a valid query; one that asks for
    nothing finds nothing."""
    backend = _BACKENDS[fulltext.dialect(db_session)]
    return backend(db_session, query, status, language_first, limit)
