"""What the server answers the assistant about experts: the paid specialists a customer
can ask for live help when the hotline is not enough.

All three routes need a signed request of a linked device (a signed-in customer):

- `GET /api/v1/experts/categories` -> `ExpertCategories`: the category tree, names in the
  request's language (`?lang=` or Accept-Language, else the portal's default).
- `GET /api/v1/experts/{id}` -> `ExpertProfilePublic`: one expert's approved profile.
  Unknown, not (yet) approved and suspended experts all answer 404 `expert_not_found`.
- `GET /api/v1/experts/{id}/photo` -> the photo as a JPEG (at most 512 pixels a side,
  no metadata). Its `photo_url` carries a version (`?v=...`): that address never changes
  its picture and may be cached for good; it also answers ETag / If-None-Match.

    {"id": 3, "display_name": "Max Keller", "photo_url": "/api/v1/experts/3/photo?v=5f1c",
     "languages": ["de", "en"], "text_language": "de",
     "slogan": "...", "qualifications": "...", "experience": "...",
     "keywords": ["Router", "Mesh"],
     "categories": [{"id": 2, "name": "WLAN & Heimnetz", "parent_id": null}],
     "prices": {"currency": "CHF", "per_minute": 150, "per_session": null}}

Prices are integers in minor units of `currency` (150 CHF minor units = CHF 1.50); show
them with `isp_common.formatting.money`. Texts are plain text; line breaks separate
paragraphs. They are written in `text_language`, whatever language the request asked for.

Search and the public badge:

- `GET /api/v1/experts?q=&category=&language=&min_price=&max_price=&price_per=&online=
  &limit=&cursor=&lang=` (signed by a linked device) -> `ExpertSearchResults`: the
  findable experts matching, online ones first, then the others, each group best ranked
  first (docs/experts.md); `next_cursor` fetches the next page.
- `GET /experts/{id}/status.json` (open to everyone, for other sites) ->
  `ExpertBadgeStatus`: the display name, the category names and the status, nothing else;
  `ExpertBadgeUnknown` (404) for no findable expert.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CATEGORIES_PATH = "/api/v1/experts/categories"
PROFILE_PATH = "/api/v1/experts/{expert_id}"
PHOTO_PATH = "/api/v1/experts/{expert_id}/photo"
EXPERTS_PATH = "/api/v1/experts"

ExpertStatusName = Literal["online", "away", "busy", "offline"]


class ExpertCategoryNode(BaseModel):
    id: int
    name: str
    """In the request's language."""
    children: list[ExpertCategoryNode] = Field(default_factory=list)
    """Sub-categories, in the order admins gave them (empty for a sub-category)."""


class ExpertCategories(BaseModel):
    language: str
    """The language of the names."""
    categories: list[ExpertCategoryNode]
    """Top categories in their order."""


class ExpertCategoryRef(BaseModel):
    id: int
    name: str
    """In the request's language."""
    parent_id: int | None = None


class ExpertPrices(BaseModel):
    currency: str
    """ISO 4217, the ISP's currency."""
    per_minute: int | None = None
    """Minor units per started minute; None: not offered."""
    per_session: int | None = None
    """Minor units for a session at a fixed price; None: not offered."""


class ExpertProfilePublic(BaseModel):
    id: int
    display_name: str
    photo_url: str | None = None
    """Relative to the server; None: no photo."""
    languages: list[str]
    """ISO 639-1 codes of the languages the expert speaks."""
    text_language: str
    """The language the texts below are written in (ISO 639-1)."""
    slogan: str
    qualifications: str
    experience: str
    keywords: list[str]
    categories: list[ExpertCategoryRef]
    """At most three, in the expert's order."""
    prices: ExpertPrices


class ExpertSummary(BaseModel):
    """One expert in search results: enough to choose, `PROFILE_PATH` for the rest."""

    id: int
    display_name: str
    slogan: str
    languages: list[str]
    """ISO 639-1 codes of the languages the expert speaks."""
    categories: list[ExpertCategoryRef]
    """The expert's own categories (at most three), in the expert's order."""
    prices: ExpertPrices
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
    """Names in the language asked for."""
    status: ExpertStatusName


class ExpertBadgeUnknown(BaseModel):
    """The 404 of `status.json`: no findable expert has that number (never approved,
    suspended and unknown look the same from outside)."""

    detail: str
    code: Literal["expert_unknown"]
    status: Literal["unknown"]
