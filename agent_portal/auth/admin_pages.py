"""The admin page: staff members and API keys; admins create and revoke keys here.

Its forms redirect to the page (post/redirect/get) with what happened in the flash
(`agent_portal.web.flash`). A new API key is shown by the page's next load only: it is a
lasting credential, and an admin who missed it revokes it and makes another.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from agent_portal.auth import service
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.auth.errors import N_, InvalidInput
from agent_portal.auth.roles import role_label
from agent_portal.deps import SessionDep
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.web.templating import render

ADMIN_PATH = "/portal/admin"
NEW_API_KEY = "api_key"  # what the flash carries for the page

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
    error: str | None = None,
    key_name: str = "",
) -> Response:
    """The admin page; a form refused for bad input answers it with the `error`."""
    flash = getattr(request.state, "flash", None)
    kept = flash.take(ADMIN_PATH).kept.get(NEW_API_KEY, []) if flash else []
    response = render(
        request,
        "admin.html",
        status_code=status_code,
        page_url=ADMIN_PATH,
        staff_members=service.list_staff(db_session=db_session),
        api_keys=service.list_api_keys(db_session=db_session),
        role_label=role_label,
        error=error,
        new_key=_new_key(db_session, kept),
        key_name=key_name,
    )
    # The page may show a new key: keep it out of caches and the browser's history.
    response.headers["Cache-Control"] = "no-store"
    return response


def _new_key(db_session, kept: list[dict]) -> service.NewApiKey | None:
    for item in kept:
        api_key = service.get_api_key(db_session=db_session, api_key_id=item["api_key_id"])
        if api_key is not None and not api_key.is_revoked:
            return service.NewApiKey(key=item["key"], api_key=api_key)
    return None


@router.get("")
def admin_overview(request: Request, db_session: SessionDep):
    return admin_page(request, db_session=db_session)


@router.post("/api-keys", dependencies=[csrf_protected()])
def create_api_key(
    request: Request,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    name: str = Form(""),
) -> Response:
    try:
        new_key = service.create_api_key(db_session=db_session, name=name, created_by=staff)
        db_session.commit()
    except InvalidInput as problem:
        return admin_page(
            request,
            db_session=db_session,
            status_code=400,
            error=problem.translated(_),
            key_name=name,
        )
    flash.once(ADMIN_PATH, NEW_API_KEY, {"api_key_id": new_key.api_key.id, "key": new_key.key})
    flash.notice(
        ADMIN_PATH, N_("The API key has been created. Copy it now: it is shown only this once.")
    )
    return flash.redirect(ADMIN_PATH)


@router.post("/api-keys/{api_key_id}/revoke", dependencies=[csrf_protected()])
def revoke_api_key(
    request: Request, db_session: SessionDep, flash: FlashDep, api_key_id: Id
) -> Response:
    api_key = service.revoke_api_key(db_session=db_session, api_key_id=api_key_id)
    if api_key is None:
        return admin_page(
            request, db_session=db_session, status_code=404, error=_("There is no such API key.")
        )
    db_session.commit()
    flash.notice(ADMIN_PATH, N_("The API key “%(name)s” has been revoked."), name=api_key.name)
    return flash.redirect(ADMIN_PATH)
