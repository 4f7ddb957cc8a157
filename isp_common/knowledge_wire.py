"""What the server answers the assistant about knowledge-base articles.

`GET /api/v1/knowledge/articles?finding=<finding id>&lang=de` and
`GET /api/v1/knowledge/search?q=<words>&lang=de` both answer a `KnowledgeArticles`:
published articles only, the requested language first. The assistant shows them next to a
finding ("what helped other customers") or as search results.

    {"articles": [{"id": 7, "problem": "Das WLAN ist langsam ...", "symptoms": "...",
                   "solution": "...", "tags": ["wlan", "router"], "language": "de",
                   "finding_ids": ["internet.wifi.weak_signal"],
                   "updated_at": "2025-03-01T09:30:00Z"}]}

Texts are plain text; line breaks separate paragraphs and steps.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AwareDatetime, BaseModel

ARTICLES_PATH = "/api/v1/knowledge/articles"
FINDING_ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
"""A finding id: lower-case words joined by dots, e.g. "internet.wifi.weak_signal"."""
FINDING_ID_MAX = 100  # the server's column size

KnowledgeLanguage = Literal["de", "en"]


class KnowledgeArticle(BaseModel):
    id: int
    problem: str
    """The problem in one line, as a customer would put it; show it as the heading."""
    symptoms: str
    """What the customer notices."""
    solution: str
    """What solves it, usually as steps, one per line."""
    tags: list[str]
    language: KnowledgeLanguage
    finding_ids: list[str]
    """The diagnostics findings the article explains, e.g. "internet.wifi.weak_signal"."""
    updated_at: AwareDatetime


class KnowledgeArticles(BaseModel):
    articles: list[KnowledgeArticle]
