"""Admins' page "Expert profiles", under `/portal/admin/experts`: the changes waiting for
approval with what each would change, approve or reject them with a reason (the expert
reads it), and every expert with their state, to suspend or reinstate. Each decision is
audited (`approval.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from agent_portal.audit.service import Actor
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.experts import service
from agent_portal.experts.errors import N_, InvalidProfile, NoPendingChange
from agent_portal.experts.models import ExpertProfile
from agent_portal.experts.page_texts import FIELD_LABELS, language_name
from agent_portal.i18n import _, translator
from agent_portal.params import Id
from agent_portal.web.templating import render
from isp_common import formatting

REVIEW_PATH = "/portal/admin/experts"

router = APIRouter(prefix=REVIEW_PATH, tags=["portal"], include_in_schema=False)
admins = [require_staff("admin")]
admins_form = [require_staff("admin"), csrf_protected()]


class Shown:
    """A profile's values as the review table shows them, in the page's language."""

    def __init__(self, db_session) -> None:
        self.language = translator.language.get()
        self.names = {
            node.id: node.name(self.language)
            for top in service.category_tree(db_session=db_session)
            for node in (top, *top.children)
        }

    def label(self, field: str) -> str:
        return _(FIELD_LABELS.get(field, field))

    def value(self, field: str, value, currency: str) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if field in ("price_per_minute", "price_per_session"):
            return formatting.money(value, currency, locale=self.language)
        if field == "languages":
            codes = [code for code in value.split(",") if code]
            return ", ".join(language_name(code, self.language) for code in codes)
        if field == "text_language":
            return language_name(value, self.language)
        if field == "categories":
            return ", ".join(self.names.get(item, "?") for item in value)
        return str(value)


def _page(request: Request, db_session, staff, *, error: str | None = None, status_code=200):
    profiles = service.all_profiles(db_session=db_session)
    return render(
        request,
        "experts/review.html",
        status_code=status_code,
        page_url=REVIEW_PATH,
        pending=[
            (profile, service.changes(profile))
            for profile in service.pending_profiles(db_session=db_session)
        ],
        profiles=profiles,
        shown=Shown(db_session),
        error=error,
    )


@router.get("", response_class=HTMLResponse, dependencies=admins)
def review_page(request: Request, db_session: SessionDep, staff: CurrentStaff) -> HTMLResponse:
    return _page(request, db_session, staff)


def _name(profile: ExpertProfile) -> str:
    return (
        (profile.draft and profile.draft.display_name)
        or profile.display_name
        or (profile.staff.name)
    )


@router.post("/{profile_id}/approve", dependencies=admins_form)
def approve(
    request: Request,
    profile_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    try:
        profile = service.approve_change(
            db_session=db_session,
            profile_id=profile_id,
            actor=Actor.staff(staff),
            rules=settings.expert_ranking_rules,
        )
    except NoPendingChange as refused:
        return _page(
            request,
            db_session,
            staff,
            error=refused.problem.translated(_, translator.language.get()),
            status_code=409,
        )
    db_session.commit()
    flash.notice(
        REVIEW_PATH,
        N_("The profile of %(name)s is approved: customers see it now."),
        name=profile.display_name,
    )
    return flash.redirect(REVIEW_PATH)


@router.post("/{profile_id}/reject", dependencies=admins_form)
def reject(
    request: Request,
    profile_id: Id,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        draft = service.reject_change(
            db_session=db_session, profile_id=profile_id, reason=reason, actor=Actor.staff(staff)
        )
    except InvalidProfile as invalid:
        return _page(
            request,
            db_session,
            staff,
            error=invalid.problems["reason"].translated(_, translator.language.get()),
            status_code=400,
        )
    except NoPendingChange as refused:
        return _page(
            request,
            db_session,
            staff,
            error=refused.problem.translated(_, translator.language.get()),
            status_code=409,
        )
    db_session.commit()
    flash.notice(
        REVIEW_PATH,
        N_("The changes of %(name)s have been sent back with your reason."),
        name=draft.display_name,
    )
    return flash.redirect(REVIEW_PATH)


@router.post("/{profile_id}/suspend", dependencies=admins_form)
def suspend(
    request: Request,
    profile_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        profile = service.suspend_expert(
            db_session=db_session,
            profile_id=profile_id,
            reason=reason,
            actor=Actor.staff(staff),
            rules=settings.expert_ranking_rules,
        )
    except InvalidProfile as invalid:
        return _page(
            request,
            db_session,
            staff,
            error=invalid.problems["reason"].translated(_, translator.language.get()),
            status_code=400,
        )
    if profile is None:
        return Response(status_code=404)
    db_session.commit()
    flash.notice(
        REVIEW_PATH,
        N_("%(name)s is suspended: customers no longer see this expert."),
        name=_name(profile),
    )
    return flash.redirect(REVIEW_PATH)


@router.post("/{profile_id}/reinstate", dependencies=admins_form)
def reinstate(
    profile_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    profile = service.reinstate_expert(
        db_session=db_session,
        profile_id=profile_id,
        actor=Actor.staff(staff),
        rules=settings.expert_ranking_rules,
    )
    if profile is None:
        return Response(status_code=404)
    db_session.commit()
    flash.notice(REVIEW_PATH, N_("%(name)s is reinstated."), name=_name(profile))
    return flash.redirect(REVIEW_PATH)
