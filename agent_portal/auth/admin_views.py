"""The admin page: staff members and API keys; admins create and revoke keys here."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from agent_portal.auth import service
from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.auth.errors import InvalidInput
from agent_portal.auth.roles import role_label
from agent_portal.deps import SessionDep
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.web.templating import render

ADMIN_PATH = "/portal/admin"

router = APIRouter(
    prefix=ADMIN_PATH,
    tags=["admin"],
    dependencies=[require_staff("admin")],
    include_in_schema=False,
)


def admin_page(
    request: Request,
    *,
    db_session,
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
    new_key: service.NewApiKey | None = None,
    key_name: str = "",
) -> Response:
    response = render(
        request,
        "admin.html",
        status_code=status_code,
        staff_members=service.list_staff(db_session=db_session),
        api_keys=service.list_api_keys(db_session=db_session),
        role_label=role_label,
        message=message,
        error=error,
        new_key=new_key,
        key_name=key_name,
    )
    # The page may show a new key: keep it out of caches and the browser's history.
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("")
def admin_overview(request: Request, db_session: SessionDep, revoked: Id | None = None):
    message = None
    if revoked is not None:
        api_key = service.get_api_key(db_session=db_session, api_key_id=revoked)
        if api_key is not None and api_key.is_revoked:
            message = _("The API key “%(name)s” has been revoked.") % {"name": api_key.name}
    return admin_page(request, db_session=db_session, message=message)


@router.post("/api-keys", dependencies=[csrf_protected()])
def create_api_key(
    request: Request, db_session: SessionDep, staff: CurrentStaff, name: str = Form("")
) -> Response:
    try:
        new_key = service.create_api_key(db_session=db_session, name=name, created_by=staff)
    except InvalidInput as problem:
        return admin_page(
            request,
            db_session=db_session,
            status_code=400,
            error=problem.translated(_),
            key_name=name,
        )
    return admin_page(
        request,
        db_session=db_session,
        status_code=201,
        message=_("The API key has been created. Copy it now: it is shown only this once."),
        new_key=new_key,
    )


@router.post("/api-keys/{api_key_id}/revoke", dependencies=[csrf_protected()])
def revoke_api_key(request: Request, db_session: SessionDep, api_key_id: Id) -> Response:
    api_key = service.revoke_api_key(db_session=db_session, api_key_id=api_key_id)
    if api_key is None:
        return admin_page(
            request, db_session=db_session, status_code=404, error=_("There is no such API key.")
        )
    return RedirectResponse(f"{ADMIN_PATH}?revoked={api_key.id}", status_code=303)
