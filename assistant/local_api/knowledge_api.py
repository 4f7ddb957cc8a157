"""The local API of help articles beside a finding:

    GET /api/knowledge/findings/{finding_id}
        {"available": true, "reason": null, "articles": [{"id", "problem", "language",
         "symptoms": [paragraph, ...], "solution": [{"steps": [...]} | {"text": "..."}]}]}

In the assistant's current language. `available` is false, with no articles, when no
server is configured (`reason` "no_server": nothing to say) or the server could not be
asked (`reason` "unreachable": the page says so quietly). Free for everyone: self-help
comes before the hotline.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request

from assistant.knowledge import (
    FoundArticles,
    KnowledgeStatus,
    is_finding_id,
    paragraphs,
    solution_parts,
)
from assistant.local_api.context import AssistantContext
from isp_common.knowledge_wire import KnowledgeArticle

router = APIRouter(prefix="/api/knowledge")


@router.get("/findings/{finding_id}")
async def articles_for_finding(finding_id: str, request: Request) -> dict:
    if not is_finding_id(finding_id):
        raise HTTPException(
            422,
            "a finding id is lower-case words (a-z, 0-9, _) joined by dots, at most 100 "
            "characters, e.g. internet.gateway.no_answer",
        )
    context: AssistantContext = request.app.state.context
    found = await asyncio.to_thread(
        context.knowledge.for_finding,
        context.premium.server_url,
        finding_id,
        context.language,
    )
    return found_view(found)


def found_view(found: FoundArticles) -> dict:
    available = found.status is KnowledgeStatus.found
    return {
        "available": available,
        "reason": None if available else found.status.value,
        "articles": [article_view(article) for article in found.articles],
    }


def article_view(article: KnowledgeArticle) -> dict:
    return {
        "id": article.id,
        "language": article.language,
        "problem": article.problem,
        "symptoms": paragraphs(article.symptoms),
        "solution": [
            {"steps": list(part.steps)} if part.steps else {"text": part.text}
            for part in solution_parts(article.solution)
        ],
    }
