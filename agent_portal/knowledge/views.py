"""The assistant's knowledge API, under `/api/v1/knowledge`:

- `GET /articles?finding=<finding id>&lang=de` the published articles that explain a
  diagnostics finding, those in `lang` first (the assistant shows them next to the finding);
- `GET /search?q=<words>&lang=de` published articles matching the words, best first.

Both answer `isp_common.knowledge_wire.KnowledgeArticles`. They are open to everyone
(`public_route`): published articles are self-help texts written for customers, hold no
customer data, and the assistant must be able to show them before it is linked to an
account. Drafts never leave the portal. The portal pages of the domain live in `pages.py`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agent_portal.auth.deps import public_route
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.knowledge import service
from agent_portal.knowledge.findings import FINDING_ID_MAX, FINDING_ID_PATTERN
from agent_portal.knowledge.schemas import to_wire
from agent_portal.knowledge.search import QUERY_MAX
from isp_common.knowledge_wire import KnowledgeArticles, KnowledgeLanguage

api = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge"], dependencies=[public_route()])

Language = Annotated[
    KnowledgeLanguage | None,
    Query(description="Articles in this language come first; default: the portal's language"),
]
Limit = Annotated[int, Query(ge=1, le=50, description="At most this many articles")]


@api.get("/articles", response_model=KnowledgeArticles)
def articles_for_finding(
    db_session: SessionDep,
    settings: SettingsDep,
    finding: Annotated[
        str,
        Query(
            max_length=FINDING_ID_MAX,
            pattern=FINDING_ID_PATTERN.pattern,
            description='A finding id of a diagnostics report, e.g. "internet.wifi.weak_signal"',
        ),
    ],
    lang: Language = None,
    limit: Limit = 10,
) -> KnowledgeArticles:
    articles = service.for_finding(
        db_session=db_session,
        finding_id=finding,
        language=lang or settings.default_language,
        limit=limit,
    )
    return KnowledgeArticles(articles=[to_wire(article) for article in articles])


@api.get("/search", response_model=KnowledgeArticles)
def search_articles(
    db_session: SessionDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            max_length=QUERY_MAX,
            description='Words, "a phrase", -excluded, or: any text is valid',
        ),
    ],
    lang: Language = None,
    limit: Limit = 20,
) -> KnowledgeArticles:
    articles = service.search(
        db_session=db_session,
        query=q,
        language_first=lang or settings.default_language,
        limit=limit,
    )
    return KnowledgeArticles(articles=[to_wire(article) for article in articles])


router = APIRouter()
router.include_router(api)
