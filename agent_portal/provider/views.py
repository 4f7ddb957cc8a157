"""`GET /api/v1/provider-profile` (open): the provider profile, signed by the server's
current key (`isp_common.provider_profile`). Answers 304 to an `If-None-Match` naming the
current ETag; `Cache-Control: no-cache`, so a cache asks again before each use and a
change of the settings or of the key reaches the assistants at their next refresh."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from agent_portal.auth.deps import public_route
from agent_portal.database import utcnow
from agent_portal.deps import ServerKeysDep, SettingsDep
from agent_portal.provider import service
from isp_common.provider_profile import PROVIDER_PROFILE_PATH, SignedProviderProfile

router = APIRouter(tags=["provider profile"])


@router.get(
    PROVIDER_PROFILE_PATH,
    response_model=SignedProviderProfile,
    dependencies=[public_route()],
    responses={304: {"description": "The profile named by `If-None-Match` is current"}},
)
def provider_profile(
    request: Request, settings: SettingsDep, keys: ServerKeysDep, response: Response
) -> SignedProviderProfile | Response:
    profile = service.profile_from_settings(settings=settings.provider, issued_at=utcnow())
    tag = service.entity_tag(profile=profile, keys=keys)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if _matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return service.signed_profile(profile=profile, keys=keys)


def _matches(header: str, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (compared weakly, as RFC 9110 asks)."""
    named = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in named or tag.removeprefix("W/") in named
