"""Published knowledge-base articles that explain a finding, fetched from the ISP's server,
so the page can offer self-help right beside the finding.

    knowledge = KnowledgeClient()
    found = knowledge.for_finding(server_url, "internet.gateway.no_answer", "de")
    found.status       # KnowledgeStatus.found, .no_server or .unreachable
    found.articles     # the articles in that language (in any language if none is)
    knowledge.close()

`GET /api/v1/knowledge/articles` is public, so nothing is signed and nothing about the
customer is sent but the finding's id. Answers are kept per server, finding and language
for a few minutes, so opening the same finding again asks nobody; a server that failed is
asked again after a short pause. A server that is down, slow or answers nonsense is never
an exception for the caller: the outcome says so, and the finding shows as always.

Pass `transport` (e.g. `httpx.MockTransport`) to talk to something other than the network.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import httpx
from pydantic import ValidationError

from assistant.tls import portal_tls
from isp_common.knowledge_wire import (
    ARTICLES_PATH,
    FINDING_ID_MAX,
    FINDING_ID_PATTERN,
    KnowledgeArticle,
    KnowledgeArticles,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0  # the customer is looking at the finding: better nothing than waiting
KEEP_SECONDS = 300.0
RETRY_SECONDS = 30.0
MOST_ARTICLES = 3  # beside a finding; more is a search, not a hint
# Asked for more than shown, so articles in the other language do not crowd ours out.
ASK_FOR = 10


class KnowledgeStatus(StrEnum):
    found = "found"  # the server answered (perhaps with no articles)
    no_server = "no_server"  # no server configured: the assistant works on its own
    unreachable = "unreachable"  # down, too slow, refused or answered nonsense


@dataclass(frozen=True)
class FoundArticles:
    status: KnowledgeStatus
    articles: tuple[KnowledgeArticle, ...] = ()


def is_finding_id(text: str) -> bool:
    return len(text) <= FINDING_ID_MAX and bool(FINDING_ID_PATTERN.match(text))


class KnowledgeClient:
    """Safe to call from several threads (the local API runs each request on its own)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
        keep_seconds: float = KEEP_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = httpx.Client(
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )
        self._keep_seconds = keep_seconds
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._kept: dict[tuple[str, str, str], tuple[float, FoundArticles]] = {}
        self._lock = threading.Lock()

    def for_finding(self, server_url: str | None, finding_id: str, language: str) -> FoundArticles:
        """The published articles for `finding_id`, in `language` where there are any.
        Raises ValueError for something that is not a finding id."""
        if not is_finding_id(finding_id):
            raise ValueError(f"not a finding id: {finding_id[:FINDING_ID_MAX]!r}")
        if not server_url:
            return FoundArticles(KnowledgeStatus.no_server)
        key = (server_url.rstrip("/"), finding_id, language)
        kept = self._kept_answer(key)
        if kept is not None:
            return kept
        found = self._fetch(*key)
        found_ok = found.status is KnowledgeStatus.found
        lifetime = self._keep_seconds if found_ok else self._retry_seconds
        with self._lock:
            self._kept[key] = (self._clock() + lifetime, found)
        return found

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KnowledgeClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _kept_answer(self, key: tuple[str, str, str]) -> FoundArticles | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if kept[0] <= self._clock():
                del self._kept[key]
                return None
            return kept[1]

    def _fetch(self, server_url: str, finding_id: str, language: str) -> FoundArticles:
        params = {"finding": finding_id, "lang": language, "limit": ASK_FOR}
        try:
            response = self._http.get(server_url + ARTICLES_PATH, params=params)
            response.raise_for_status()
            answer = KnowledgeArticles.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as error:
            logger.warning("knowledge articles for %s not loaded: %s", finding_id, error)
            return FoundArticles(KnowledgeStatus.unreachable)
        return FoundArticles(KnowledgeStatus.found, in_language(answer.articles, language))


def in_language(articles: list[KnowledgeArticle], language: str) -> tuple[KnowledgeArticle, ...]:
    """The articles in `language`; if none is, all of them: a German article helps an
    English-speaking customer more than none (the server sends ours first either way)."""
    ours = [article for article in articles if article.language == language]
    return tuple((ours or articles)[:MOST_ARTICLES])


@dataclass(frozen=True)
class SolutionPart:
    """A stretch of a solution: numbered steps, or a paragraph between them."""

    steps: tuple[str, ...] = ()
    text: str = ""


STEP = re.compile(r"^(?:\d{1,2}[.)]|[-*•])\s+(?P<step>.+)$")


def solution_parts(solution: str) -> list[SolutionPart]:
    """The solution as steps and paragraphs, in order. Authors write steps one per line,
    numbered ("1. …") or not; once some lines are numbered, the others are notes."""
    lines = [line.strip() for line in solution.splitlines() if line.strip()]
    marked = any(STEP.match(line) for line in lines)
    if not marked and len(lines) == 1:
        return [SolutionPart(text=lines[0])]
    parts: list[SolutionPart] = []
    for line in lines:
        match = STEP.match(line)
        if marked and match is None:
            parts.append(SolutionPart(text=line))
            continue
        step = match.group("step") if match else line
        if parts and parts[-1].steps:
            parts[-1] = SolutionPart(steps=(*parts[-1].steps, step))
        else:
            parts.append(SolutionPart(steps=(step,)))
    return parts


def paragraphs(text: str) -> list[str]:
    """Line breaks separate paragraphs in the articles' texts."""
    return [line.strip() for line in text.splitlines() if line.strip()]
