"""Service functions of the knowledge base: create, edit, publish and unpublish, delete a
draft, read, list and search articles, the articles of a finding, and a draft from a
conversation.

Plain functions with keyword-only arguments; lookups return None when nothing is found.
Functions that change something validate everything first and flush at the end, so bad
input (`InvalidArticle`) leaves the stored article as it was; they never commit, the
route or command that called them does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.database import utcnow
from agent_portal.knowledge import search as full_text
from agent_portal.knowledge.errors import N_, ArticleIsPublished, InvalidArticle, problem
from agent_portal.knowledge.findings import FindingCatalogue, diagnostics_catalogue
from agent_portal.knowledge.models import Article, ArticleFinding, ArticleStatus
from agent_portal.knowledge.schemas import PROBLEM_MAX, ArticleIn, clean_article
from agent_portal.knowledge.transcript import compose_draft

LIST_LIMIT = 200


def validate(
    *,
    problem_text: str,
    symptoms: str = "",
    solution: str = "",
    tags: str | Iterable[str] = (),
    language: str,
    finding_ids: Iterable[str] = (),
    findings: FindingCatalogue | None = None,
) -> ArticleIn:
    """The article as it would be stored; raises InvalidArticle naming each bad field."""
    return clean_article(
        problem_text=problem_text,
        symptoms=symptoms,
        solution=solution,
        tags=tags,
        language=language,
        finding_ids=finding_ids,
        findings=findings or diagnostics_catalogue(),
    )


def _apply(article: Article, article_in: ArticleIn, now: datetime) -> None:
    article.problem = article_in.problem
    article.symptoms = article_in.symptoms
    article.solution = article_in.solution
    article.tags = ", ".join(article_in.tags)
    article.language = article_in.language
    wanted = list(article_in.finding_ids)
    article.findings[:] = [link for link in article.findings if link.finding_id in wanted]
    kept = set(article.finding_ids)
    article.findings.extend(ArticleFinding(finding_id=item) for item in wanted if item not in kept)
    article.updated_at = now


def create(
    *,
    db_session: Session,
    author: StaffMember | None,
    article_in: ArticleIn,
    status: ArticleStatus = ArticleStatus.DRAFT,
    seed_key: str | None = None,
    now: datetime | None = None,
) -> Article:
    """A new article (a draft unless told otherwise) from validated input."""
    now = now or utcnow()
    if status is ArticleStatus.PUBLISHED:
        _check_publishable(article_in.solution)
    article = Article(
        author=author,
        status=status.value,
        seed_key=seed_key,
        created_at=now,
        published_at=now if status is ArticleStatus.PUBLISHED else None,
    )
    _apply(article, article_in, now)
    db_session.add(article)
    db_session.flush()
    return article


def update(
    *, db_session: Session, article_id: int, article_in: ArticleIn, now: datetime | None = None
) -> Article | None:
    """Replaces the article's texts, tags, language and findings; None if unknown. A
    published article must keep a solution."""
    article = get(db_session=db_session, article_id=article_id)
    if article is None:
        return None
    if article.is_published:
        _check_publishable(article_in.solution)
    _apply(article, article_in, now or utcnow())
    db_session.flush()
    return article


def _check_publishable(solution: str) -> None:
    if not solution.strip():
        raise InvalidArticle(
            {"solution": problem(N_("A published article needs a solution: write it first."))}
        )


def set_status(
    *,
    db_session: Session,
    article_id: int,
    status: ArticleStatus,
    now: datetime | None = None,
) -> Article | None:
    """Publishes an article (customers' assistants then show it) or takes it back to
    draft; None if unknown. Publishing needs a solution (InvalidArticle otherwise)."""
    article = get(db_session=db_session, article_id=article_id)
    if article is None:
        return None
    if article.status == status.value:
        return article
    if status is ArticleStatus.PUBLISHED:
        _check_publishable(article.solution)
    now = now or utcnow()
    article.status = status.value
    article.published_at = now if status is ArticleStatus.PUBLISHED else None
    article.updated_at = now
    db_session.flush()
    return article


def delete_draft(*, db_session: Session, article_id: int) -> Article | None:
    """Deletes a draft for good, with its findings and its entry in the full-text index
    (on SQLite a trigger of migration k001 removes it from the FTS5 table; on PostgreSQL
    the index is a column of the row itself); returns the article as it was, None if
    unknown. A published article is refused (ArticleIsPublished): it is taken back to
    draft first, so nothing customers see vanishes by one click. On any failure nothing
    is deleted."""
    article = get(db_session=db_session, article_id=article_id)
    if article is None:
        return None
    if article.is_published:
        raise ArticleIsPublished(article_id)
    # Deleted only while still a draft: someone may have published it since it was read.
    statement = (
        delete(Article)
        .where(Article.id == article_id, Article.status == ArticleStatus.DRAFT.value)
        .execution_options(synchronize_session=False)
    )
    deleted = db_session.execute(statement).rowcount
    if not deleted:
        db_session.expire(article)  # read again: gone, or published meanwhile
        if get(db_session=db_session, article_id=article_id) is None:
            return None
        raise ArticleIsPublished(article_id)
    db_session.expunge(article)  # and its findings, which the database deleted with it
    return article


def get(*, db_session: Session, article_id: int, published_only: bool = False) -> Article | None:
    article = db_session.get(Article, article_id)
    if article is None or (published_only and not article.is_published):
        return None
    return article


def list_articles(
    *, db_session: Session, status: ArticleStatus | None = None, limit: int = LIST_LIMIT
) -> list[Article]:
    """Articles with that status (None: any), the most recently changed first."""
    statement = select(Article).order_by(Article.updated_at.desc(), Article.id.desc())
    if status is not None:
        statement = statement.where(Article.status == status.value)
    return list(db_session.scalars(statement.limit(limit)))


def search(
    *,
    db_session: Session,
    query: str,
    status: ArticleStatus | None = ArticleStatus.PUBLISHED,
    language_first: str | None = None,
    limit: int = 50,
) -> list[Article]:
    """Articles with that status (None: any) matching the words of `query` in problem,
    symptoms, solution or tags, best match first; any text is a valid query (see
    `agent_portal.knowledge.search` for the syntax)."""
    return full_text.search_articles(
        db_session=db_session,
        query=query,
        status=status,
        language_first=language_first,
        limit=limit,
    )


def for_finding(
    *, db_session: Session, finding_id: str, language: str, limit: int = 10
) -> list[Article]:
    """The published articles explaining a finding: those in `language` first, then the
    others; within each, the most recently changed first."""
    statement = (
        select(Article)
        .join(ArticleFinding)
        .where(
            ArticleFinding.finding_id == finding_id,
            Article.status == ArticleStatus.PUBLISHED.value,
        )
        .order_by(Article.language != language, Article.updated_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db_session.scalars(statement))


def draft_from_transcript(
    *,
    db_session: Session,
    author: StaffMember,
    title: str,
    messages: Sequence[tuple[str, str]],
    finding_ids: Iterable[str] = (),
    language: str = "de",
    now: datetime | None = None,
) -> Article:
    """A draft article from a solved conversation, for the agent to edit and publish: the
    problem is `title` (the conversation's topic) or else the customer's first message,
    the symptoms are what the customer wrote, the solution what the agent (or expert)
    wrote. `messages` are (speaker, text) in order; the speaker is "customer", "system"
    (notices, left out) or anyone helping ("agent", "expert"). Raises InvalidArticle when
    there is nothing to make a problem of, or a finding id is unknown."""
    draft = compose_draft(title=title, messages=messages, problem_max=PROBLEM_MAX)
    article_in = validate(
        problem_text=draft.problem,
        symptoms=draft.symptoms,
        solution=draft.solution,
        language=language,
        finding_ids=finding_ids,
    )
    return create(db_session=db_session, author=author, article_in=article_in, now=now)
