"""The assistant's experts API, under `/api/v1/experts` (wire formats and examples in
`isp_common.experts_wire`):

- `GET /categories` the category tree, names in the request's language;
- `GET /{expert_id}` an expert's approved profile (404 unless visible);
- `GET /{expert_id}/photo` the approved photo, cacheable.

Each needs a signed request of a linked device (a signed-in customer): experts are a
paid service of the ISP, offered to its customers. The domain's portal pages are in
`pages.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from agent_portal.api_errors import refusals
from agent_portal.deps import SessionDep
from agent_portal.devices.deps import require_device
from agent_portal.experts import service
from agent_portal.experts.errors import ExpertNotFound
from agent_portal.experts.models import ExpertPhoto, ExpertProfile
from agent_portal.params import Id
from isp_common.experts_wire import (
    CATEGORIES_PATH,
    PHOTO_PATH,
    PROFILE_PATH,
    ExpertCategories,
    ExpertCategoryNode,
    ExpertCategoryRef,
    ExpertPrices,
    ExpertProfilePublic,
)

api = APIRouter(tags=["experts"], dependencies=[require_device()])

NOT_SIGNED = {401: "Not signed by a linked device"}
# A versioned photo address shows one picture for ever; an old or missing version is
# checked again each time.
CACHE_FOR_GOOD = "private, max-age=31536000, immutable"
CACHE_CHECK = "private, no-cache"


def _language(request: Request) -> str:
    return getattr(request.state, "language", "de")


def photo_url(profile: ExpertProfile, photo: ExpertPhoto | None) -> str | None:
    if photo is None:
        return None
    return PHOTO_PATH.format(expert_id=profile.id) + f"?v={photo.digest[:16]}"


def to_wire(
    profile: ExpertProfile, photo: ExpertPhoto | None, language: str
) -> ExpertProfilePublic:
    return ExpertProfilePublic(
        id=profile.id,
        display_name=profile.display_name,
        photo_url=photo_url(profile, photo),
        languages=profile.language_list,
        text_language=profile.text_language,
        slogan=profile.slogan,
        qualifications=profile.qualifications,
        experience=profile.experience,
        keywords=profile.keyword_list,
        categories=[
            ExpertCategoryRef(
                id=link.category.id,
                name=link.category.name(language),
                parent_id=link.category.parent_id,
            )
            for link in profile.categories
        ],
        prices=ExpertPrices(
            currency=profile.currency,
            per_minute=profile.price_per_minute,
            per_session=profile.price_per_session,
        ),
    )


@api.get(CATEGORIES_PATH, response_model=ExpertCategories, responses=refusals(NOT_SIGNED))
def categories(request: Request, db_session: SessionDep) -> ExpertCategories:
    language = _language(request)

    def node(category: service.CategoryNode) -> ExpertCategoryNode:
        return ExpertCategoryNode(
            id=category.id,
            name=category.name(language),
            children=[node(child) for child in category.children],
        )

    tree = service.category_tree(db_session=db_session)
    return ExpertCategories(language=language, categories=[node(top) for top in tree])


@api.get(
    PROFILE_PATH,
    response_model=ExpertProfilePublic,
    responses=refusals({**NOT_SIGNED, 404: "No such expert, or not available"}),
)
def profile(request: Request, db_session: SessionDep, expert_id: Id) -> ExpertProfilePublic:
    found = service.public_profile(db_session=db_session, expert_id=expert_id)
    if found is None:
        raise ExpertNotFound()
    photo = service.public_photo(db_session=db_session, expert_id=expert_id)
    return to_wire(found, photo, _language(request))


@api.get(
    PHOTO_PATH,
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The photo, re-encoded"},
        304: {"description": "Not modified (If-None-Match)"},
        **refusals({**NOT_SIGNED, 404: "No such expert, not available, or no photo"}),
    },
)
def photo(request: Request, db_session: SessionDep, expert_id: Id) -> Response:
    found = service.public_photo(db_session=db_session, expert_id=expert_id)
    if found is None:
        raise ExpertNotFound()
    etag = f'"{found.digest}"'
    versioned = request.query_params.get("v") == found.digest[:16]
    headers = {"ETag": etag, "Cache-Control": CACHE_FOR_GOOD if versioned else CACHE_CHECK}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)


router = APIRouter()
router.include_router(api)
