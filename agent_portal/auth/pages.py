"""Login and logout pages, and `/`, which sends people where they can work."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from agent_portal.auth import login, security, service
from agent_portal.auth.admin_pages import router as admin_router
from agent_portal.auth.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentStaff,
    PortalSessionDep,
    csrf_protected,
    login_csrf_protected,
    public_route,
    require_staff,
)
from agent_portal.auth.password_pages import router as password_router
from agent_portal.auth.roles import home_path
from agent_portal.auth.staff_pages import router as staff_router
from agent_portal.config import PortalSettings
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep, client_address
from agent_portal.i18n import _
from agent_portal.unit_of_work import committed
from agent_portal.web.templating import render

LOGIN_PATH = "/login"
router = APIRouter(tags=["auth"], include_in_schema=False)  # pages, not API


def login_form(
    request: Request,
    *,
    settings: PortalSettings,
    error: str | None = None,
    message: str | None = None,
    status_code: int = 200,
    username: str = "",
    next_path: str = "",
) -> Response:
    """The login page, with a fresh pre-session CSRF token in its form and cookie."""
    token = security.new_token()
    next_path = security.safe_next(next_path, "")
    response = render(
        request,
        "login.html",
        status_code=status_code,
        page_url=f"{LOGIN_PATH}?{urlencode({'next': next_path})}" if next_path else LOGIN_PATH,
        login_error=error,
        login_message=message,
        username=username,
        next_path=next_path,
        login_csrf_token=token,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=LOGIN_PATH,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@router.get("/", dependencies=[require_staff()])
def index(staff: CurrentStaff) -> RedirectResponse:
    return RedirectResponse(home_path(staff.role) or LOGIN_PATH, status_code=303)


@router.get(LOGIN_PATH, dependencies=[public_route()])
def login_page(
    request: Request,
    settings: SettingsDep,
    portal_session: PortalSessionDep,
    next: str = "",
    logged_out: bool = False,
) -> Response:
    if portal_session is not None:
        return RedirectResponse(security.safe_next(next, "/"), status_code=303)
    message = _("You have been logged out.") if logged_out else None
    return login_form(request, settings=settings, next_path=next, message=message)


@router.post(LOGIN_PATH, dependencies=[public_route(), login_csrf_protected()])
async def login_submit(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
) -> Response:
    form = {"settings": settings, "username": username.strip(), "next_path": next}
    if not username.strip() or not password:
        error = _("Enter your user name and your password.")
        return login_form(request, error=error, status_code=400, **form)
    now = utcnow()
    # The route owns the login and commits its verdict before it answers: the session
    # opened, or the failure, which counts for the next attempts while this one waits.
    result = await run_in_threadpool(
        committed(login.authenticate),
        db_session=db_session,
        username=username,
        password=password,
        address=client_address(request),
        now=now,
        policy=login.LoginPolicy.from_settings(settings),
    )
    if result.locked_until is not None:
        error = login.locked_message(result.lock_minutes_left(now))
        return login_form(request, error=error, status_code=429, **form)
    if not result.ok:
        # Waiting here (without holding a worker thread) slows down password guessing.
        await asyncio.sleep(result.delay_seconds)
        error = _("Wrong user name or password.")
        return login_form(request, error=error, status_code=401, **form)

    response = RedirectResponse(security.safe_next(next, "/"), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        max_age=settings.session_lifetime_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post(
    "/logout",
    dependencies=[require_staff(while_password_change_pending=True), csrf_protected()],
)
def logout(request: Request, db_session: SessionDep) -> Response:
    service.end_session(db_session=db_session, token=request.cookies.get(SESSION_COOKIE))
    db_session.commit()
    response = RedirectResponse(f"{LOGIN_PATH}?logged_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


router.include_router(admin_router)
router.include_router(password_router)
router.include_router(staff_router)
