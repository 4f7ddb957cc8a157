"""The page where a staff member changes their own password: at once after a login with an
initial password (no other page opens before), or whenever they like.

The current password is checked like a login (`login.check_password`): wrong ones count
towards the same limits. The member's other browsers are logged out and their sockets
closed; the tab they changed it in stays.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from agent_portal.auth import accounts, flows, login, security, service
from agent_portal.auth.deps import FlashDep, PortalSessionDep, csrf_protected, require_staff
from agent_portal.auth.errors import N_, InvalidInput
from agent_portal.auth.models import PortalSession
from agent_portal.auth.roles import home_path
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep, client_address
from agent_portal.i18n import _
from agent_portal.web.templating import render

PASSWORD_PATH = "/portal/password"

router = APIRouter(
    prefix=PASSWORD_PATH,
    tags=["auth"],
    dependencies=[require_staff(while_password_change_pending=True)],
    include_in_schema=False,
)


def password_page(
    request: Request, *, next_path: str = "", error: str | None = None, status_code: int = 200
) -> Response:
    next_path = security.safe_next(next_path, "")
    page_url = f"{PASSWORD_PATH}?{urlencode({'next': next_path})}" if next_path else PASSWORD_PATH
    return render(
        request,
        "password.html",
        status_code=status_code,
        page_url=page_url,
        next_path=next_path,
        error=error,
        minimum=service.MIN_PASSWORD_LENGTH,
    )


@router.get("")
def password_form(request: Request, next: str = "") -> Response:
    return password_page(request, next_path=next)


@router.post("", dependencies=[csrf_protected()])
async def change_password(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    portal_session: PortalSessionDep,
    flash: FlashDep,
    current_password: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
    next: str = Form(""),
) -> Response:
    def refused(error: str, status_code: int = 400) -> Response:
        return password_page(request, next_path=next, error=error, status_code=status_code)

    if not current_password:
        return refused(_("Enter your current password."))
    try:
        accounts.check_new_password(
            current=current_password, new=new_password, again=new_password_again
        )
    except InvalidInput as problem:
        return refused(problem.translated(_))
    member, now = portal_session.staff, utcnow()
    result = await run_in_threadpool(
        _change,
        db_session=db_session,
        portal_session_id=portal_session.id,
        current_password=current_password,
        new_password=new_password,
        address=client_address(request),
        policy=login.LoginPolicy.from_settings(settings),
        now=now,
    )
    if result.locked_until is not None:
        return refused(login.locked_message(result.lock_minutes_left(now)), 429)
    if not result.ok:
        await asyncio.sleep(result.delay_seconds)  # slows down guessing, like the login
        return refused(_("Your current password is wrong."), 401)
    await flows.end_live_access(
        request.app.state.live, member.id, keep_session_id=portal_session.id
    )
    target = security.safe_next(next, "") or home_path(member.role) or PASSWORD_PATH
    flash.notice(urlsplit(target).path, N_("Your new password has been saved."))
    return flash.redirect(target)


def _change(
    *,
    db_session,
    portal_session_id: int,
    current_password: str,
    new_password: str,
    address: str,
    policy: login.LoginPolicy,
    now,
) -> login.LoginResult:
    """Checks the current password and, when right, stores the new one. Committed either
    way: a wrong current password stays counted, like a failed login."""
    member = db_session.get(PortalSession, portal_session_id).staff
    result = login.check_password(
        db_session=db_session,
        member=member,
        password=current_password,
        address=address,
        now=now,
        policy=policy,
    )
    if result.ok:
        accounts.set_own_password(
            db_session=db_session,
            member=member,
            password=new_password,
            keep_session_id=portal_session_id,
            now=now,
        )
    db_session.commit()
    return result
