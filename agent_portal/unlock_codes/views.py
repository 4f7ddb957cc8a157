"""The unlock API of the assistant (signed by a linked device):

- `POST /api/v1/unlock-codes/redeem`: an agent's one-time code for a session entitlement
  (source "agent_code", at most 8 hours).
- `POST /api/v1/devices/offline-code-uses`: the offline codes used on this device since
  its last connection; answers the uses stored, which the assistant may then forget.

The agent's side, issuing and revoking codes on the customer page, is in `pages.py`.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from agent_portal.api_errors import refusals
from agent_portal.database import utcnow
from agent_portal.deps import ServerKeysDep, SessionDep, SettingsDep, client_address
from agent_portal.devices import service as devices
from agent_portal.devices.deps import (
    CurrentDevice,
    SignedRequestDep,
    attempt_policy,
    require_device,
    require_device_signature,
)
from agent_portal.unlock_codes import offline, service
from agent_portal.unlock_codes.errors import (
    CodeAlreadyUsed,
    CodeExpired,
    CodeFormatInvalid,
    CodeInvalid,
    CodeRevoked,
    TooManyAttempts,
)
from isp_common.premium_wire import (
    OFFLINE_USES_PATH,
    REDEEM_PATH,
    EntitlementGrant,
    OfflineCodeUseAck,
    OfflineCodeUseReport,
    RedeemRequest,
)

api = APIRouter(tags=["unlock codes"])

REDEEM_REFUSALS = refusals(
    {
        401: "Not signed by a linked device",
        403: "No such code for this customer (counted as a wrong attempt)",
        409: "The code has been used",
        410: "The code has expired or was revoked",
        422: "Not 8 digits",
        429: "Too many wrong codes: locked until `locked_until`",
    }
)


@api.post(
    REDEEM_PATH,
    response_model=EntitlementGrant,
    responses=REDEEM_REFUSALS,
    dependencies=[require_device_signature()],
)
async def redeem(
    request: Request,
    body: RedeemRequest,
    signed: SignedRequestDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
) -> EntitlementGrant:
    # The hot path (benchmarks/unlock.py): the device check and the redemption share one
    # worker thread and one database session, instead of a thread hop for each dependency.
    return await run_in_threadpool(
        _redeem,
        session_factory=request.app.state.session_factory,
        signed=signed,
        code=body.code,
        address=client_address(request),
        settings=settings,
        keys=keys,
    )


REDEEM_REFUSALS = (
    CodeFormatInvalid,
    CodeInvalid,
    CodeExpired,
    CodeRevoked,
    CodeAlreadyUsed,
    TooManyAttempts,
)


def _redeem(*, session_factory, signed, code, address, settings, keys) -> EntitlementGrant:
    now = utcnow()
    with session_factory() as db_session:
        device = devices.linked_device(
            db_session=db_session,
            signed=signed,
            now=now,
            max_age_seconds=settings.device_request_max_age_seconds,
        )
        try:
            grant = service.redeem(
                db_session=db_session,
                keys=keys,
                device=device,
                code=code,
                address=address,
                now=now,
                policy=attempt_policy(settings),
                session_lifetime=timedelta(hours=settings.unlock_session_hours),
            )
        except REDEEM_REFUSALS:
            # A wrong code counts and its audit entry stays; the device was seen all the same.
            db_session.commit()
            raise
        db_session.commit()
        return grant


@api.post(
    OFFLINE_USES_PATH,
    dependencies=[require_device()],
    response_model=OfflineCodeUseAck,
    responses=refusals({422: "A use of another device"}),
)
def report_offline_uses(
    request: Request, report: OfflineCodeUseReport, device: CurrentDevice, db_session: SessionDep
) -> OfflineCodeUseAck:
    try:
        stored = offline.record_uses(
            db_session=db_session,
            device=device,
            report=report,
            now=utcnow(),
            address=client_address(request),
        )
        db_session.commit()
    except offline.UsesStoredMeanwhile:
        db_session.rollback()
        stored = report.uses
    return OfflineCodeUseAck(acknowledged=stored)


router = APIRouter()
router.include_router(api)
