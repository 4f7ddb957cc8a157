"""What routes use to say who may call them, and to get the logged-in staff member.

Protect a route (or a whole router) with exactly one of:

    dependencies=[require_staff("agent", "admin")]   # portal pages; no roles: any staff
    dependencies=[require_api_key()]                  # the ISP back end's API
    dependencies=[public_route()]                     # deliberately open

and add `csrf_protected()` after `require_staff(...)` on every POST form route. Handlers
that need the member take `staff: CurrentStaff`; form routes that tell the page they
redirect to what happened take `flash: FlashDep` (see `agent_portal.web.flash`). A public
route that must cost nothing on top (the health probes) decorates its endpoint with
`@public` instead of `public_route()`: the same rule, without a dependency to solve on
every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam

from agent_portal.auth import security, service
from agent_portal.auth.access import ACCESS_RULE_ATTRIBUTE, CSRF_ATTRIBUTE, AccessRule
from agent_portal.auth.errors import (
    N_,
    ApiKeyInvalid,
    ApiKeyMissing,
    CsrfRejected,
    LoginRequired,
    PasswordChangeRequired,
    RoleForbidden,
)
from agent_portal.auth.models import PortalSession, StaffMember
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep
from agent_portal.web.flash import Flash

Endpoint = TypeVar("Endpoint", bound=Callable)

SESSION_COOKIE = "portal_session"
LOGIN_CSRF_COOKIE = "portal_login_csrf"
CSRF_FIELD = "csrf_token"


def load_portal_session(request: Request, db_session: SessionDep) -> Iterator[PortalSession | None]:
    """The request's live portal session with its staff member loaded, or None. Sets
    `request.state.staff`, `request.state.csrf_token` and `request.state.flash` for the
    templates. FastAPI runs it once per request, in a worker thread (it reads the
    database)."""
    token = request.cookies.get(SESSION_COOKIE)
    portal_session = service.get_session_by_token(db_session=db_session, token=token, now=utcnow())
    if portal_session is not None:
        request.state.staff = portal_session.staff
        request.state.csrf_token = portal_session.csrf_token
        request.state.flash = Flash(
            db_session=db_session,
            portal_session_id=portal_session.id,
            session_token=token,
            # Browsers mark what they load as a page; a script's fetch is "empty".
            page_load=request.headers.get("sec-fetch-dest", "document") == "document",
        )
    try:
        yield portal_session
    finally:
        # The flash works in the request's database session, which closes now. An error
        # page drawn after this (a handler of an exception raised in a dependency) must
        # not open it again: the connection would never go back to the pool.
        request.state.flash = None


PortalSessionDep = Annotated[PortalSession | None, Depends(load_portal_session)]


def _return_path(request: Request) -> str | None:
    # Only a page can be returned to afterwards; a form post cannot be replayed.
    if request.method != "GET" or request.url.path == "/":
        return None
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def _login_required(request: Request) -> LoginRequired:
    return LoginRequired(next_path=_return_path(request))


def require_staff(*roles: str, while_password_change_pending: bool = False) -> DependsParam:
    """Logged-in staff with one of `roles` (any role when none are given). Anonymous
    browsers are sent to the login page; other roles get a 403 page. A member who logged
    in with an initial password is sent to the change-password page first, except on the
    few routes marked `while_password_change_pending` (that page, logging out)."""
    allowed = frozenset(roles)

    # `async def`, as the checks below that read only what `load_portal_session` loaded:
    # no worker thread for them (each sync dependency costs the request a thread hop).
    async def check_staff(request: Request, portal_session: PortalSessionDep) -> StaffMember:
        if portal_session is None:
            raise _login_required(request)
        staff = portal_session.staff
        if staff.must_change_password and not while_password_change_pending:
            raise PasswordChangeRequired(next_path=_return_path(request))
        if allowed and staff.role not in allowed:
            raise RoleForbidden(staff.role, allowed)
        return staff

    setattr(check_staff, ACCESS_RULE_ATTRIBUTE, AccessRule("staff", allowed))
    return Depends(check_staff)


async def current_staff(request: Request, portal_session: PortalSessionDep) -> StaffMember:
    if portal_session is None:
        raise _login_required(request)
    return portal_session.staff


CurrentStaff = Annotated[StaffMember, Depends(current_staff)]


def current_flash(request: Request, portal_session: PortalSessionDep) -> Flash:
    if portal_session is None:
        raise _login_required(request)
    return request.state.flash


FlashDep = Annotated[Flash, Depends(current_flash)]


def _api_key_from_headers(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("x-api-key", "").strip() or None


def require_api_key() -> DependsParam:
    """A valid API key in `Authorization: Bearer <key>` or `X-API-Key: <key>`; else 401."""

    def check_api_key(request: Request, db_session: SessionDep):
        key = _api_key_from_headers(request)
        if key is None:
            raise ApiKeyMissing()
        api_key = service.verify_api_key(db_session=db_session, key=key)
        if api_key is None:
            raise ApiKeyInvalid()
        # A unit of its own: the key's use is stored whatever the route does after (a
        # request that fails has used the key all the same), and read-only routes,
        # which commit nothing, still record it.
        db_session.commit()
        request.state.api_key = api_key
        return api_key

    setattr(check_api_key, ACCESS_RULE_ATTRIBUTE, AccessRule("api_key"))
    return Depends(check_api_key)


def public_route() -> DependsParam:
    """Marks a route as deliberately open to everyone; checks nothing."""

    async def open_to_everyone() -> None:
        return None

    setattr(open_to_everyone, ACCESS_RULE_ATTRIBUTE, AccessRule("public"))
    return Depends(open_to_everyone)


def public(endpoint: Endpoint) -> Endpoint:
    """Marks an endpoint as deliberately open to everyone, like `public_route()`."""
    setattr(endpoint, ACCESS_RULE_ATTRIBUTE, AccessRule("public"))
    return endpoint


async def _form_token(request: Request) -> str | None:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    return token if isinstance(token, str) else None


def csrf_protected() -> DependsParam:
    """The form's `csrf_token` field must equal the token of the browser's session.
    Put it after `require_staff(...)`, so anonymous browsers still go to the login page."""

    async def check_csrf(request: Request, portal_session: PortalSessionDep) -> None:
        given = await _form_token(request)
        if not given:
            raise CsrfRejected(N_("The form has no security token."))
        expected = portal_session.csrf_token if portal_session else None
        if not security.tokens_match(given, expected):
            raise CsrfRejected(N_("The form's security token is wrong or out of date."))

    setattr(check_csrf, CSRF_ATTRIBUTE, "session")
    return Depends(check_csrf)


def login_csrf_protected() -> DependsParam:
    """For the login form, before there is a session: the form field must equal the token
    in the pre-session cookie set with the form (double submit)."""

    async def check_login_csrf(request: Request) -> None:
        given = await _form_token(request)
        if not given:
            raise CsrfRejected(N_("The form has no security token."))
        if not security.tokens_match(given, request.cookies.get(LOGIN_CSRF_COOKIE)):
            raise CsrfRejected(N_("The form's security token is wrong or out of date."))

    setattr(check_login_csrf, CSRF_ATTRIBUTE, "login")
    return Depends(check_login_csrf)
