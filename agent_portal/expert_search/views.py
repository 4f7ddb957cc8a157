"""Expert search and the public status badge:

- `GET /api/v1/experts` (signed by a linked device: the assistant of a signed-in
  customer): the search, answering `isp_common.experts_wire.ExpertSearchResults`;
- `GET /portal/experts/search.json` (agents and admins): the same search for the portal's
  escalation picker, online experts first;
- `GET /experts/{id}/status.json` and `GET /experts/{id}/badge.svg` (open to everyone, for
  other sites): display name, categories and status, nothing else. Cached briefly
  (`Cache-Control`, `ETag`), JSON readable from any origin (CORS), German or English by
  `?lang=` or Accept-Language. No findable expert (unknown, not approved, suspended): the
  JSON is a 404 with status "unknown", the image a neutral "unknown" badge (still 200,
  so a page that embeds it shows a badge and not a broken image).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from agent_portal.api_errors import refusals
from agent_portal.auth.deps import public_route, require_staff
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices.deps import require_device
from agent_portal.expert_search import badge, finder
from agent_portal.expert_search.errors import CategoryUnknown, CursorInvalid, PriceRangeInvalid
from agent_portal.expert_search.presence import ExpertStatus
from agent_portal.expert_search.search import Cursor, Filters, search_experts
from agent_portal.experts.models import ExpertCategory
from agent_portal.fulltext import QUERY_MAX
from agent_portal.params import MAX_ID, Id
from isp_common.experts_wire import (
    EXPERTS_PATH,
    ExpertBadgeStatus,
    ExpertBadgeUnknown,
    ExpertSearchResults,
)
from isp_common.i18n import language_from_accept_header

Language = Literal["de", "en"]
BADGE_MAX_AGE = 30  # seconds: a status shown elsewhere may be this old
REFUSALS = refusals(
    {401: "Not signed by a linked device", 422: "A filter or the cursor is not acceptable"}
)


def reader_language(request: Request, lang: Language | None, default: str) -> str:
    return lang or language_from_accept_header(request.headers.get("accept-language")) or default


class SearchParams:
    def __init__(
        self,
        q: Annotated[
            str, Query(max_length=QUERY_MAX, description="Words; each matches as a prefix")
        ] = "",
        category: Id | None = None,  # a category; its sub-categories too
        language: Annotated[
            str | None,
            Query(pattern=r"^[a-z]{2}$", description="The expert speaks it (ISO 639-1)"),
        ] = None,
        min_price: Annotated[int | None, Query(ge=0, le=MAX_ID, description="Minor units")] = None,
        max_price: Annotated[int | None, Query(ge=0, le=MAX_ID, description="Minor units")] = None,
        price_per: Annotated[
            Literal["minute", "session"], Query(description="What the price range is of")
        ] = "minute",
        online: Annotated[bool, Query(description="Only experts online now")] = False,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
        cursor: Annotated[
            str | None, Query(max_length=64, description="next_cursor of the last page")
        ] = None,
        lang: Annotated[Language | None, Query(description="Category names in")] = None,
    ) -> None:
        if min_price is not None and max_price is not None and min_price > max_price:
            raise PriceRangeInvalid(min_price, max_price)
        try:
            self.cursor = Cursor.decode(cursor) if cursor else None
        except ValueError:
            raise CursorInvalid() from None
        self.filters = Filters(
            query=q,
            category_id=category,
            language=language,
            min_price=min_price,
            max_price=max_price,
            price_per=price_per,
            online_only=online,
        )
        self.limit = limit
        self.lang = lang


SearchDep = Annotated[SearchParams, Depends()]


def _search(request: Request, db_session, settings, params: SearchParams) -> ExpertSearchResults:
    page = search_experts(
        db_session=db_session,
        filters=params.filters,
        now=utcnow(),
        away_after=timedelta(minutes=settings.staff_away_minutes),
        limit=params.limit,
        cursor=params.cursor,
    )
    # An expert found under the category shows that it exists (entries are listed under
    # categories that exist); only a search that finds nobody asks.
    category = params.filters.category_id
    if not page.experts and category is not None and not db_session.get(ExpertCategory, category):
        raise CategoryUnknown(category)
    language = reader_language(request, params.lang, settings.default_language)
    return finder.results(page, language)


router = APIRouter(tags=["experts"])


@router.get(
    EXPERTS_PATH,
    response_model=ExpertSearchResults,
    dependencies=[require_device()],
    responses=REFUSALS,
)
def search_for_customers(
    request: Request, db_session: SessionDep, settings: SettingsDep, params: SearchDep
) -> ExpertSearchResults:
    return _search(request, db_session, settings, params)


@router.get(
    "/portal/experts/search.json",
    response_model=ExpertSearchResults,
    dependencies=[require_staff("agent", "admin")],
    include_in_schema=False,
)
def search_for_staff(
    request: Request, db_session: SessionDep, settings: SettingsDep, params: SearchDep
) -> ExpertSearchResults:
    return _search(request, db_session, settings, params)


def _cached(request: Request, body: bytes, media_type: str, status_code: int) -> Response:
    tag = badge.etag(body)
    headers = {
        "Cache-Control": f"public, max-age={BADGE_MAX_AGE}",
        "ETag": tag,
        "Vary": "Accept-Language",
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if media_type == badge.SVG_TYPE:
        # Nothing in the image may run or load, even opened on its own.
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    given = request.headers.get("if-none-match", "")
    if tag in [candidate.strip() for candidate in given.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status_code, media_type=media_type, headers=headers)


BadgeLanguage = Annotated[Language | None, Query(description="German or English")]


STATUS_RESPONSES = {
    200: {"model": ExpertBadgeStatus, "description": "The expert's public status"},
    304: {"description": "Not modified since the ETag given in If-None-Match"},
    404: {"model": ExpertBadgeUnknown, "description": "No findable expert: status unknown"},
}
BADGE_RESPONSES = {
    200: {
        "content": {badge.SVG_TYPE: {"schema": {"type": "string"}}},
        "description": "The badge; a neutral 'unknown' one for no findable expert",
    },
    304: {"description": "Not modified since the ETag given in If-None-Match"},
}


@router.get(
    "/experts/{profile_id}/status.json",
    dependencies=[public_route()],
    response_class=Response,
    responses=STATUS_RESPONSES,
)
def badge_status(
    profile_id: Id,
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    lang: BadgeLanguage = None,
) -> Response:
    language = reader_language(request, lang, settings.default_language)
    found = finder.badge_status(
        db_session=db_session,
        profile_id=profile_id,
        language=language,
        now=utcnow(),
        away_after=timedelta(minutes=settings.staff_away_minutes),
    )
    if found is None:
        unknown = ExpertBadgeUnknown(
            detail="No expert with this number is listed.", code="expert_unknown", status="unknown"
        )
        return _cached(request, unknown.model_dump_json().encode(), "application/json", 404)
    return _cached(request, found.model_dump_json().encode(), "application/json", 200)


@router.get(
    "/experts/{profile_id}/badge.svg",
    dependencies=[public_route()],
    response_class=Response,
    responses=BADGE_RESPONSES,
)
def badge_image(
    profile_id: Id,
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    lang: BadgeLanguage = None,
) -> Response:
    language = reader_language(request, lang, settings.default_language)
    found = finder.badge_status(
        db_session=db_session,
        profile_id=profile_id,
        language=language,
        now=utcnow(),
        away_after=timedelta(minutes=settings.staff_away_minutes),
    )
    facts = (
        badge.BadgeFacts(found.display_name, tuple(found.categories), ExpertStatus(found.status))
        if found is not None
        else badge.BadgeFacts(None, (), ExpertStatus.unknown)
    )
    return _cached(request, badge.svg(facts, language).encode(), badge.SVG_TYPE, 200)
