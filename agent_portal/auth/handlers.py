"""Turns the auth errors raised by the dependencies into the browser's answers: a redirect
to the login page (or to the change-password page), or a friendly 403 page (which says
why, for a missing relation). `install(app)` registers them. A refused API key is an
`ApiError`, answered like every API refusal (`agent_portal.api_errors`)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from agent_portal.auth import pages, password_pages
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.auth.errors import (
    CsrfRejected,
    LoginRequired,
    PasswordChangeRequired,
    RelationForbidden,
    RoleForbidden,
)
from agent_portal.auth.roles import role_label
from agent_portal.i18n import _
from agent_portal.web.templating import render


async def login_required(request: Request, error: LoginRequired) -> Response:
    query = f"?{urlencode({'next': error.next_path})}" if error.next_path else ""
    response = RedirectResponse(f"{pages.LOGIN_PATH}{query}", status_code=303)
    if SESSION_COOKIE in request.cookies:  # expired or unknown: the browser may forget it
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def password_change_required(_request: Request, error: PasswordChangeRequired) -> Response:
    query = f"?{urlencode({'next': error.next_path})}" if error.next_path else ""
    return RedirectResponse(f"{password_pages.PASSWORD_PATH}{query}", status_code=303)


async def role_forbidden(request: Request, error: RoleForbidden) -> Response:
    return render(
        request,
        "forbidden.html",
        status_code=403,
        allowed_roles=[role_label(role) for role in sorted(error.allowed)],
        own_role=role_label(error.role),
    )


async def relation_forbidden(request: Request, error: RelationForbidden) -> Response:
    return render(request, "forbidden.html", status_code=403, reason=error.translated(_))


async def csrf_rejected(request: Request, error: CsrfRejected) -> Response:
    if request.url.path == pages.LOGIN_PATH:
        # A stale login form: show a fresh one, so trying again simply works.
        return pages.login_form(
            request,
            settings=request.app.state.settings,
            error=_("The login form had expired. Please log in again."),
            status_code=403,
        )
    return render(request, "csrf_rejected.html", status_code=403, reason=_(error.reason))


def install(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PasswordChangeRequired, password_change_required)
    app.add_exception_handler(RoleForbidden, role_forbidden)
    app.add_exception_handler(RelationForbidden, relation_forbidden)
    app.add_exception_handler(CsrfRejected, csrf_rejected)
