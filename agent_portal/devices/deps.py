"""Dependencies of the assistant's API: requests signed with a device's Ed25519 key.

    dependencies=[require_device()]            # a linked device; the handler may take
                                               # `device: CurrentDevice`
    dependencies=[require_device_signature()]  # signed, key not yet linked (the link
                                               # route checks it against the key it is sent)

Both are the access rule "device" (`agent_portal.auth.access`); a request without a valid
signature gets a 401 JSON body with a `code` saying what was wrong.

`attempt_policy(settings)`: how many wrong secrets lock a customer, device and address out,
and for how long; the link route's sign-ins and the redeem route's unlock codes count alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam

from agent_portal.attempts.service import AttemptPolicy
from agent_portal.auth.access import ACCESS_RULE_ATTRIBUTE, AccessRule
from agent_portal.config import PortalSettings
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices import service
from agent_portal.devices.signatures import SignedRequest


async def _body(request: Request) -> bytes:
    # Starlette keeps the body, so FastAPI still parses it for the handler afterwards.
    return await request.body()


def _target(request: Request) -> bytes:
    """Path and query as the client sent them, which is what it signed."""
    path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    return path + b"?" + query if query else path


def attempt_policy(settings: PortalSettings) -> AttemptPolicy:
    # Sign-in failures count like wrong unlock codes: both guard a customer's premium.
    return AttemptPolicy(
        max_failures=settings.unlock_max_failures,
        window=timedelta(minutes=settings.unlock_failure_window_minutes),
        lock=timedelta(minutes=settings.unlock_lock_minutes),
    )


def signed_request(request: Request, body: bytes) -> SignedRequest:
    return SignedRequest.from_parts(
        headers=request.headers, method=request.method, target=_target(request), body=body
    )


def check_device(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    body: Annotated[bytes, Depends(_body)],
) -> Device:
    device = service.linked_device(
        db_session=db_session,
        signed=signed_request(request, body),
        now=utcnow(),
        max_age_seconds=settings.device_request_max_age_seconds,
    )
    # Its own commit: the device's "last seen" stands whatever the route does after.
    db_session.commit()
    request.state.device = device
    return device


async def check_device_signature(
    request: Request, body: Annotated[bytes, Depends(_body)]
) -> SignedRequest:
    # Only reads headers: no worker thread needed.
    return signed_request(request, body)


setattr(check_device, ACCESS_RULE_ATTRIBUTE, AccessRule("device"))
setattr(check_device_signature, ACCESS_RULE_ATTRIBUTE, AccessRule("device"))


def require_device() -> DependsParam:
    return Depends(check_device)


def require_device_signature() -> DependsParam:
    return Depends(check_device_signature)


CurrentDevice = Annotated[Device, Depends(check_device)]
SignedRequestDep = Annotated[SignedRequest, Depends(check_device_signature)]
