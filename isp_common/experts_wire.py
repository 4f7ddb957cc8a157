"""What the server answers about experts.

`GET /api/v1/experts?q=&category=&language=&min_price=&max_price=&price_per=&online=
&limit=&cursor=&lang=` (signed by a linked device) answers `ExpertSearchResults`: the
findable experts matching, online ones first, then the others, each group best ranked
first; `next_cursor` fetches the next page. Prices are in minor units of `currency`.

    {"experts": [{"id": 12, "display_name": "Anna Muster", "slogan": "...",
                  "categories": [{"id": 3, "name": "WLAN"}], "languages": ["de", "en"],
                  "price_per_minute": 150, "price_per_session": null, "currency": "CHF",
                  "status": "online", "score": 4.13, "rated_sessions": 3}],
     "next_cursor": "AUAQhR..."}

`GET /experts/{id}/status.json` (open to everyone, for other sites) answers
`ExpertBadgeStatus`: the display name, the category names and the status, nothing else.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

EXPERTS_PATH = "/api/v1/experts"

ExpertStatusName = Literal["online", "away", "busy", "offline"]


class ExpertCategoryName(BaseModel):
    id: int
    name: str
    """In the language asked for."""


class ExpertSummary(BaseModel):
    id: int
    display_name: str
    slogan: str
    categories: list[ExpertCategoryName]
    """The expert's own categories (at most three), in the expert's order."""
    languages: list[str]
    """ISO 639-1 codes of the languages the expert speaks."""
    price_per_minute: int | None
    price_per_session: int | None
    currency: str
    status: ExpertStatusName
    score: float
    """The ranking score, 1 to 5 (docs/experts.md); 3.5 until paid sessions are rated."""
    rated_sessions: int


class ExpertSearchResults(BaseModel):
    experts: list[ExpertSummary]
    next_cursor: str | None
    """Pass as `cursor` for the next page; null on the last page."""


class ExpertBadgeStatus(BaseModel):
    id: int
    display_name: str
    categories: list[str]
    status: ExpertStatusName | Literal["unknown"]


class ExpertBadgeUnknown(BaseModel):
    """The 404 of `status.json`: no findable expert has that number (never approved,
    suspended and unknown look the same from outside)."""

    detail: str
    code: Literal["expert_unknown"]
    status: Literal["unknown"]
