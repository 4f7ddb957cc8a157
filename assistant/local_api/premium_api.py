"""The local API of premium: signing in, unlock codes, and the one gate every premium
action passes.

    GET  /api/premium              what premium allows now: account, package, features
    POST /api/premium/sign-in      link this computer (password or activation code)
    POST /api/premium/unlock       an unlock code the hotline read out
    POST /api/premium/sign-out     unlink this computer, freeing its place
    POST /api/premium/release      after a sign-in refused for full places: release one of
                                   the customer's computers and link this one instead
    GET  /api/checks/{check_id}    one check's result; a premium one only when unlocked

Every premium route depends on `requires_feature(feature_id)` (or, for a check, on the
feature its catalogue entry names), which calls the gate: a locked feature answers 403
`{"error": sentence, "code": "feature_locked", "reason": ..., "feature": ...}` before the
route runs. Other refusals (a wrong code, the server down, ...) answer with the error's
`code`, the customer's sentence and `details`: attempts left, until when a lock holds,
the computers already linked, and those the customer may release one of.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant import formats
from assistant.build import ServerNotAllowed
from assistant.diagnostics.catalogue import premium_feature
from assistant.formats import moment, time_of_day
from assistant.i18n import _
from assistant.local_api.context import AssistantContext
from assistant.local_api.presenters import check_view
from assistant.local_api.release_view import limit_text, release_view, released_message
from assistant.premium import errors
from assistant.premium import texts as premium_texts
from assistant.premium.access import Lock, PremiumAccess
from assistant.premium.refresh_schedule import RefreshSchedule
from assistant.premium.service import PremiumStatus, RefreshFailure
from assistant.runs import CheckInfo
from isp_common.errors import EntitlementError, IspCommonError
from isp_common.features import FEATURES

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api")

# The local API's answer to each kind of refusal; the most specific class wins.
STATUSES: dict[type[Exception], int] = {
    errors.FeatureLocked: 403,
    errors.NotSignedIn: 409,
    errors.CodeFormatInvalid: 422,
    errors.OfflineCodeError: 409,
    errors.TooManyAttempts: 429,
    errors.SignInLocked: 429,
    errors.SignInFailed: 422,
    errors.DeviceLimitReached: 409,
    errors.ServerRefused: 409,
    errors.ServerUnreachable: 503,
    errors.ServerError: 502,
    errors.PreviewNotFound: 404,
    errors.UnknownCleanupRoot: 422,
    errors.CleanupError: 409,
    errors.PremiumError: 500,
    EntitlementError: 422,
    IspCommonError: 500,
}


def _context(request: Request) -> AssistantContext:
    return request.app.state.context


def require_feature(request: Request, feature_id: str) -> None:
    """The gate, for one request: FeatureLocked (answered 403) unless allowed right now."""
    _context(request).premium.require(feature_id)


def requires_feature(feature_id: str):
    """The dependency of a premium route."""

    def premium_feature_allowed(request: Request) -> None:
        require_feature(request, feature_id)

    return Depends(premium_feature_allowed)


def gated_check(check_id: str, request: Request) -> CheckInfo:
    """The dependency of a route about one check: a premium check passes the gate."""
    info = next((c for c in _context(request).board.visible_checks() if c.id == check_id), None)
    if info is None:
        raise HTTPException(404, f"no check called {check_id!r}")
    feature_id = premium_feature(info.id, info.category, info.premium)
    if feature_id is not None:
        require_feature(request, feature_id)
    return info


# --- what the page shows ------------------------------------------------------------------


def error_body(error: Exception) -> dict:
    """What the page shows for a refusal: the sentence, and the details that help."""
    body: dict = {"code": getattr(error, "code", "error"), "details": []}
    details: list[str] = body["details"]
    if isinstance(error, errors.FeatureLocked):
        lock = getattr(error, "lock", None) or Lock(error.feature_id, error.reason)
        body.update(error=lock.text, reason=lock.reason, feature=error.feature_id)
        return body
    body["error"] = premium_texts.error_text(error)
    if isinstance(error, errors.CodeInvalid):
        body["attempts_left"] = error.attempts_left
        details.append(_("Attempts left: {count}.").format(count=error.attempts_left))
    locked_until = getattr(error, "locked_until", None)
    if isinstance(locked_until, datetime):
        body["locked_until"] = locked_until.isoformat()
        details.append(_("Please try again after {time}.").format(time=time_of_day(locked_until)))
    if isinstance(error, errors.DeviceLimitReached):
        body["error"] = limit_text(error)
        body["device_limit"] = error.device_limit
        body["linked_devices"] = list(error.linked_devices)
        body["release"] = release_view(error.release)
        if error.linked_devices and body["release"] is None:  # the list names them otherwise
            names = ", ".join(_("“{name}”").format(name=name) for name in error.linked_devices)
            details.append(_("Computers linked now: {names}.").format(names=names))
    return body


def server_not_allowed_text() -> str:
    return _(
        "This is not the address of your internet provider's server. The assistant only "
        "talks to the servers it was set up for."
    )


def refresh_failure_text(failure: RefreshFailure | None) -> str | None:
    """When and why asking the server about premium last failed, for the window."""
    if failure is None:
        return None
    reason = premium_texts.text_for_code(failure.code)
    return _("Premium could not be updated from the server at {time}: {reason}").format(
        time=formats.moment(failure.at), reason=reason
    )


def _notice_text(status: PremiumStatus) -> str | None:
    failure = status.last_refresh_failure
    if not status.notice or (failure is not None and failure.code == status.notice):
        return None  # nothing to say, or said with its time by the refresh failure
    return premium_texts.text_for_code(status.notice)


def feature_views(premium: PremiumAccess) -> list[dict]:
    views = []
    for feature in FEATURES:
        if feature.is_free:
            continue
        lock = premium.lock(feature.id)
        views.append(
            {
                "id": feature.id,
                "title": premium_texts.feature_title(feature),
                "description": premium_texts.feature_description(feature),
                "allowed": lock is None,
                "reason": lock.reason if lock else None,
                "reason_text": lock.text if lock else None,
            }
        )
    return views


def status_view(premium: PremiumAccess) -> dict:
    status = premium.service.status()
    return {
        "server_configured": bool(premium.server_url),
        "server_url": premium.server_url,
        "servers": list(premium.servers),
        "linked": status.linked,
        "account_number": status.account_number,
        "customer_name": status.customer_name,
        "device_name": status.device_name,
        "default_device_name": socket.gethostname() or "Computer",
        "tier": status.tier.value,
        "tier_name": premium_texts.tier_name(status.tier),
        "unlocked": premium.unlocked(),
        "sources": [premium_texts.source_text(source) for source in status.sources],
        "session_active": status.session_active,
        "usable_until": status.usable_until.isoformat() if status.usable_until else None,
        "usable_until_text": moment(status.usable_until) if status.usable_until else None,
        "online": status.online,
        "notice": _notice_text(status),
        "last_refresh_failed_at": (
            status.last_refresh_failure.at.isoformat() if status.last_refresh_failure else None
        ),
        "last_refresh_failure": refresh_failure_text(status.last_refresh_failure),
        "features": feature_views(premium),
    }


async def premium_changed(context: AssistantContext) -> None:
    """What premium allows may have changed: the checks run again, and live help starts
    or stops with the link to the customer's account."""
    context.board.premium_changed()
    if context.live is not None:
        await context.live.sync()


# --- routes -----------------------------------------------------------------------------


@router.get("/premium")
def premium_status(request: Request) -> dict:
    return status_view(_context(request).premium)


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account_number: str = Field(max_length=64)
    password: str | None = Field(default=None, max_length=256)
    activation_code: str | None = Field(default=None, max_length=64)
    device_name: str | None = Field(default=None, max_length=100)
    server_url: str | None = Field(default=None, max_length=500)


def _refuse(sentence: str, code: str) -> JSONResponse:
    return JSONResponse({"error": sentence, "code": code, "details": []}, status_code=422)


@router.post("/premium/sign-in")
async def sign_in(body: SignIn, request: Request):
    context = _context(request)
    account = body.account_number.strip()
    password = body.password or None
    activation_code = (body.activation_code or "").strip() or None
    if not account:
        return _refuse(_("Please enter your customer number."), "account_number_missing")
    if (password is None) == (activation_code is None):
        return _refuse(
            _("Please enter either your password or your activation code."), "credential_missing"
        )
    server_url = (body.server_url or "").strip() or None
    if server_url:
        # Only a server the installation names: the page must not send the customer's
        # password anywhere else.
        try:
            kept = context.premium.check_server(server_url)
        except ServerNotAllowed:
            return _refuse(server_not_allowed_text(), "server_not_allowed")
        context.settings.update(server_url=kept)
        await asyncio.to_thread(context.premium.use_server, kept)
    if not context.premium.server_url:
        return _refuse(
            _(
                "This assistant has not been set up for your internet provider's server. "
                "Please install the assistant your internet provider offers."
            ),
            "server_missing",
        )
    try:
        await asyncio.to_thread(
            context.premium.service.sign_in,
            account,
            password=password,
            activation_code=activation_code,
            device_name=(body.device_name or "").strip() or None,
        )
    except ValidationError:  # e.g. control characters: the server would refuse them too
        return _refuse(
            _(
                "The customer number or the computer's name contains characters that cannot "
                "be used. Please check them."
            ),
            "sign_in_input_invalid",
        )
    await premium_changed(context)
    return status_view(context.premium)


class UnlockCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=40)


@router.post("/premium/unlock")
async def unlock(body: UnlockCode, request: Request) -> dict:
    context = _context(request)
    # "1234 5678", "1234-5678": the digits are what counts.
    code = "".join(ch for ch in body.code if ch not in " -\t")
    status = await asyncio.to_thread(context.premium.service.unlock_with_code, code)
    await premium_changed(context)
    view = status_view(context.premium)
    until = status.usable_until
    view["message"] = (
        _("Premium is unlocked until {time}.").format(time=time_of_day(until))
        if until
        else _("Premium is unlocked.")
    )
    return view


@router.post("/premium/sign-out")
async def sign_out(request: Request) -> dict:
    context = _context(request)
    await asyncio.to_thread(context.premium.service.sign_out)
    await premium_changed(context)
    view = status_view(context.premium)
    view["message"] = _("This computer has been unlinked from your customer account.")
    return view


class Release(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device_id: str = Field(min_length=1, max_length=64)


@router.post("/premium/release")
async def release(body: Release, request: Request) -> dict:
    """Releases the chosen computer (the page asked the customer to confirm) and links this
    one in its place, with the ticket of the refused sign-in."""
    context = _context(request)
    pending = context.premium.service.pending_release
    chosen = pending and next(
        (d for d in pending.offer.devices if d.device_id == body.device_id), None
    )
    await asyncio.to_thread(context.premium.service.release_and_sign_in, body.device_id)
    await premium_changed(context)
    view = status_view(context.premium)
    view["message"] = released_message(chosen.name if chosen else body.device_id)
    return view


@router.get("/checks/{check_id}")
def one_check(request: Request, info: CheckInfo = Depends(gated_check)) -> dict:
    context = _context(request)
    return check_view(info, context.board.run, premium=context.premium)


# --- wiring -------------------------------------------------------------------------------


def status_for(error: Exception) -> int:
    """The status of the most specific class of STATUSES the error belongs to."""
    matching = [(kind, code) for kind, code in STATUSES.items() if isinstance(error, kind)]
    if not matching:
        return 500
    return max(matching, key=lambda item: len(item[0].__mro__))[1]


def add_error_handlers(app: FastAPI) -> None:
    async def refused(_request: Request, error: Exception) -> JSONResponse:
        return JSONResponse(error_body(error), status_code=status_for(error))

    app.add_exception_handler(errors.PremiumError, refused)
    app.add_exception_handler(IspCommonError, refused)


async def refresh_premium(
    context: AssistantContext, schedule: RefreshSchedule | None = None
) -> None:
    """Asks the server now and then (subscription, keys, offline code uses): every few
    hours while that works, soon again after a failure (`RefreshSchedule`); when what
    premium allows changes, the dashboard hears it and the checks run again."""
    premium = context.premium
    if schedule is None:
        try:
            schedule = RefreshSchedule.from_environment()
        except ValueError as error:
            logger.warning("%s; the usual waits apply", error)
            schedule = RefreshSchedule()
    while True:
        before = premium.state_key()
        try:
            status = await asyncio.to_thread(premium.service.refresh)
            failed = status.last_refresh_failure is not None
            pending = status.offline_uses_unreported > 0
        except Exception:  # a bug: logged, and tried again as soon as any failure
            logger.exception("asking the server about premium failed")
            failed, pending = True, False
        if premium.state_key() != before:
            await premium_changed(context)
        await asyncio.sleep(schedule.next_wait(failed=failed, pending=pending))
