"""The admins' staff pages: the list of staff members with the form for a new account, and
one page per member to change their name, role and chat topics, deactivate or reactivate
them, and reset their password.

Forms redirect to a page (post/redirect/get) with what happened in the flash
(`agent_portal.web.flash`); an initial password is shown by the member page's next load
only. A form refused for bad input answers with its page, a 400 and the reason, and has
stored nothing (`accounts` raises before the commit, the transaction is rolled back). A
change that takes access away closes the member's open portal sockets after the commit
(`flows.end_live_access_now`).
"""

from __future__ import annotations

from anyio import from_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from agent_portal.auth import accounts, flows, service
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.auth.errors import N_, InvalidInput
from agent_portal.auth.models import ROLES, StaffMember
from agent_portal.auth.roles import home_path, role_label
from agent_portal.chat import flows as chat_flows
from agent_portal.chat import topics
from agent_portal.chat.page_data import topic_label
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.web.templating import render

STAFF_PATH = "/portal/admin/staff"
INITIAL_PASSWORD = "initial_password"  # what the flash carries for a member's page

router = APIRouter(
    prefix=STAFF_PATH,
    tags=["admin"],
    dependencies=[require_staff("admin")],
    include_in_schema=False,
)


def member_path(staff_id: int) -> str:
    return f"{STAFF_PATH}/{staff_id}"


def _common(**context) -> dict:
    return {
        "roles": ROLES,
        "role_label": role_label,
        "all_topics": list(topics.Topic),
        "topic_label": topic_label,
        **context,
    }


def list_page(
    request: Request, *, db_session, status_code: int = 200, error: str | None = None, form=None
) -> Response:
    """The staff list and the form for a new account (refilled with `form` when refused)."""
    return render(
        request,
        "staff.html",
        status_code=status_code,
        page_url=STAFF_PATH,
        **_common(
            staff_members=service.list_staff(db_session=db_session),
            topics_by_staff=topics.topics_by_staff(db_session=db_session),
            error=error,
            form=form or {"role": "agent", "topics": []},
        ),
    )


def member_page(
    request: Request,
    *,
    db_session,
    member: StaffMember,
    status_code: int = 200,
    error: str | None = None,
    form=None,
) -> Response:
    page = member_path(member.id)
    flash = getattr(request.state, "flash", None)
    kept = flash.take(page).kept.get(INITIAL_PASSWORD, []) if flash else []
    initial = next((item["password"] for item in kept if item["staff_id"] == member.id), None)
    chosen = topics.topics_of(db_session=db_session, staff_id=member.id)
    response = render(
        request,
        "staff_member.html",
        status_code=status_code,
        page_url=page,
        **_common(
            member=member,
            initial_password=initial,
            error=error,
            form=form
            or {
                "display_name": member.display_name,
                "role": member.role,
                "topics": chosen,
                "email": member.email or "",
            },
            minimum=service.MIN_PASSWORD_LENGTH,
        ),
    )
    # The page may show an initial password: keep it out of caches and the history.
    response.headers["Cache-Control"] = "no-store"
    return response


def no_such_member(request: Request, db_session) -> Response:
    return list_page(
        request, db_session=db_session, status_code=404, error=_("There is no such staff member.")
    )


@router.get("")
def staff_list(request: Request, db_session: SessionDep) -> Response:
    return list_page(request, db_session=db_session)


@router.post("", dependencies=[csrf_protected()])
def create_member(
    request: Request,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    username: str = Form(""),
    display_name: str = Form(""),
    role: str = Form(""),
    topics: list[str] = Form([]),  # noqa: B008 (FastAPI's way to read a repeated field)
    password: str = Form(""),
) -> Response:
    try:
        fields = accounts.check_fields(display_name=display_name, role=role, topics=topics)
        new = accounts.create(
            db_session=db_session,
            actor=staff,
            username=username,
            fields=fields,
            password=password,
            now=utcnow(),
        )
        db_session.commit()
    except InvalidInput as problem:
        db_session.rollback()
        form = {"username": username, "display_name": display_name, "role": role}
        return list_page(
            request,
            db_session=db_session,
            status_code=400,
            error=problem.translated(_),
            form={**form, "topics": topics},
        )
    page = member_path(new.member.id)
    shown_once = {"staff_id": new.member.id, "password": new.initial_password}
    flash.once(page, INITIAL_PASSWORD, shown_once)
    flash.notice(
        page,
        N_(
            "The account of %(name)s has been created. Give them the initial password below: "
            "they choose their own at their first login."
        ),
        name=new.member.name,
    )
    return flash.redirect(page)


@router.get("/{staff_id}")
def member_details(request: Request, db_session: SessionDep, staff_id: Id) -> Response:
    member = service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return no_such_member(request, db_session)
    return member_page(request, db_session=db_session, member=member)


@router.post("/{staff_id}", dependencies=[csrf_protected()])
def change_member(
    request: Request,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    staff_id: Id,
    display_name: str = Form(""),
    role: str = Form(""),
    topics: list[str] = Form([]),  # noqa: B008
    email: str = Form(""),
) -> Response:
    member = service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return no_such_member(request, db_session)
    try:
        fields = accounts.check_fields(
            display_name=display_name, role=role, topics=topics, email=email
        )
        changes = accounts.change(
            db_session=db_session, actor=staff, member=member, fields=fields, now=utcnow()
        )
        db_session.commit()
    except InvalidInput as problem:
        db_session.rollback()
        form = {"display_name": display_name, "role": role, "topics": topics, "email": email}
        return member_page(
            request,
            db_session=db_session,
            member=member,
            status_code=400,
            error=problem.translated(_),
            form=form,
        )
    live = request.app.state.live
    if changes.ends_live_access:
        flows.end_live_access_now(live, member.id)
    if changes.role or changes.topics:
        from_thread.run(chat_flows.route_waiting, live)  # an agent may take chats now
    if member.id == staff.id and member.role != "admin":
        # Stepped down: the admin pages are closed to them from now on.
        home = home_path(member.role) or "/"
        flash.notice(home, N_("You are no longer an administrator."))
        return flash.redirect("/")
    page = member_path(member.id)
    flash.notice(page, N_("The changes to %(name)s have been saved."), name=member.name)
    return flash.redirect(page)


def _committed(request: Request, db_session, member: StaffMember, action):
    """Runs `action()` and commits: (its result, None), or (None, the member's page with
    the reason) when it is refused, having stored nothing."""
    try:
        result = action()
        db_session.commit()
    except InvalidInput as problem:
        db_session.rollback()
        refused = member_page(
            request,
            db_session=db_session,
            member=member,
            status_code=400,
            error=problem.translated(_),
        )
        return None, refused
    return result, None


@router.post("/{staff_id}/deactivate", dependencies=[csrf_protected()])
def deactivate_member(
    request: Request, db_session: SessionDep, staff: CurrentStaff, flash: FlashDep, staff_id: Id
) -> Response:
    member = service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return no_such_member(request, db_session)
    _done, refused = _committed(
        request,
        db_session,
        member,
        lambda: accounts.deactivate(
            db_session=db_session, actor=staff, member=member, now=utcnow()
        ),
    )
    if refused is not None:
        return refused
    flows.end_live_access_now(request.app.state.live, member.id)
    page = member_path(member.id)
    deactivated = N_("%(name)s has been deactivated and logged out everywhere.")
    flash.notice(page, deactivated, name=member.name)
    return flash.redirect(page)


@router.post("/{staff_id}/reactivate", dependencies=[csrf_protected()])
def reactivate_member(
    request: Request, db_session: SessionDep, staff: CurrentStaff, flash: FlashDep, staff_id: Id
) -> Response:
    member = service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return no_such_member(request, db_session)
    accounts.reactivate(db_session=db_session, actor=staff, member=member, now=utcnow())
    db_session.commit()
    page = member_path(member.id)
    flash.notice(page, N_("%(name)s can log in again."), name=member.name)
    return flash.redirect(page)


@router.post("/{staff_id}/password", dependencies=[csrf_protected()])
def reset_member_password(
    request: Request,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    staff_id: Id,
    password: str = Form(""),
) -> Response:
    member = service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return no_such_member(request, db_session)
    new_password, refused = _committed(
        request,
        db_session,
        member,
        lambda: accounts.reset_password(
            db_session=db_session, actor=staff, member=member, password=password, now=utcnow()
        ),
    )
    if refused is not None:
        return refused
    flows.end_live_access_now(request.app.state.live, member.id)
    page = member_path(member.id)
    flash.once(page, INITIAL_PASSWORD, {"staff_id": member.id, "password": new_password})
    flash.notice(
        page,
        N_(
            "%(name)s has a new initial password, shown below this once, and has been logged "
            "out everywhere."
        ),
        name=member.name,
    )
    return flash.redirect(page)
