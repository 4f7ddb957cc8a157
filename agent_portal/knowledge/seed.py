"""Starter articles: what the hotline explains most often, in German and English, published
and linked to the diagnostics findings they explain, so the assistant has self-help to show
from the first day (texts in `starter_articles`). `load_starter_articles` adds the ones not
yet there; running it again adds nothing and leaves edited starter articles as the hotline
changed them. The command that loads them commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.knowledge import service
from agent_portal.knowledge.models import Article, ArticleStatus
from agent_portal.knowledge.starter_articles import STARTER_ARTICLES, StarterArticle

__all__ = ["STARTER_ARTICLES", "StarterArticle", "load_starter_articles"]

SEED_PREFIX = "starter:"


def load_starter_articles(*, db_session: Session, author: StaffMember | None) -> list[Article]:
    """Adds the starter articles not loaded before, published, written by `author`; answers
    the ones it added (none on a second run). An article deleted or edited by the hotline
    stays as the hotline left it, since each is recognised by its key."""
    loaded = set(
        db_session.scalars(select(Article.seed_key).where(Article.seed_key.startswith(SEED_PREFIX)))
    )
    added = []
    for starter in STARTER_ARTICLES:
        seed_key = SEED_PREFIX + starter.key
        if seed_key in loaded:
            continue
        article_in = service.validate(
            problem_text=starter.problem,
            symptoms=starter.symptoms,
            solution=starter.solution,
            tags=starter.tags,
            language=starter.language,
            finding_ids=starter.finding_ids,
        )
        try:
            with db_session.begin_nested():
                article = service.create(
                    db_session=db_session,
                    author=author,
                    article_in=article_in,
                    status=ArticleStatus.PUBLISHED,
                    seed_key=seed_key,
                )
        except IntegrityError:
            continue  # loaded at the same moment by another process: theirs counts
        added.append(article)
    return added
