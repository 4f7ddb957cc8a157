"""Admins' page "Expert categories", under `/portal/admin/expert-categories`: the tree
with its German and English names; add, rename (both languages), move under another top
category, reorder, and remove a category no profile uses (a clear refusal otherwise)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from agent_portal.audit.service import Actor
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.experts import service
from agent_portal.experts.categories import NAME_MAX
from agent_portal.experts.errors import N_, CategoryInUse, InvalidCategory
from agent_portal.i18n import _, translator
from agent_portal.params import Id
from agent_portal.web.templating import render

CATEGORIES_PATH = "/portal/admin/expert-categories"

router = APIRouter(prefix=CATEGORIES_PATH, tags=["portal"], include_in_schema=False)
admins = [require_staff("admin")]
admins_form = [require_staff("admin"), csrf_protected()]


def _page(
    request: Request,
    db_session,
    *,
    error: str | None = None,
    problems: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    language = translator.language.get()
    return render(
        request,
        "experts/categories.html",
        status_code=status_code,
        page_url=CATEGORIES_PATH,
        tree=service.category_tree(db_session=db_session),
        error=error,
        problems={
            field: found.translated(_, language) for field, found in (problems or {}).items()
        },
        values=values or {},
        name_max=NAME_MAX,
    )


@router.get("", response_class=HTMLResponse, dependencies=admins)
def categories_page(request: Request, db_session: SessionDep) -> HTMLResponse:
    return _page(request, db_session)


def _refused_names(request, db_session, invalid: InvalidCategory, values: dict) -> HTMLResponse:
    return _page(
        request,
        db_session,
        error=_("The category was not saved. Please correct the marked fields."),
        problems=invalid.problems,
        values=values,
        status_code=400,
    )


def _parent(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@router.post("", dependencies=admins_form)
def add(
    request: Request,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    name_de: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        category = service.add_category(
            db_session=db_session,
            name_de=name_de,
            name_en=name_en,
            parent_id=_parent(parent_id),
            actor=Actor.staff(staff),
        )
    except InvalidCategory as invalid:
        values = {"name_de": name_de, "name_en": name_en, "parent_id": parent_id}
        return _refused_names(request, db_session, invalid, values)
    db_session.commit()
    flash.notice(
        CATEGORIES_PATH,
        N_("The category “%(name)s” has been added."),
        name=category.name(translator.language.get()),
    )
    return flash.redirect(CATEGORIES_PATH)


@router.post("/{category_id}/rename", dependencies=admins_form)
def rename(
    request: Request,
    category_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    name_de: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
) -> Response:
    try:
        category = service.rename_category(
            db_session=db_session,
            category_id=category_id,
            name_de=name_de,
            name_en=name_en,
            actor=Actor.staff(staff),
            rules=settings.expert_ranking_rules,
        )
    except InvalidCategory as invalid:
        problems = invalid.problems
        return _page(
            request,
            db_session,
            error=" ".join(
                found.translated(_, translator.language.get()) for found in problems.values()
            ),
            status_code=400,
        )
    if category is None:
        return Response(status_code=404)
    db_session.commit()
    flash.notice(
        CATEGORIES_PATH,
        N_("The category “%(name)s” has been renamed."),
        name=category.name(translator.language.get()),
    )
    return flash.redirect(CATEGORIES_PATH, fragment=f"category-{category.id}")


@router.post("/{category_id}/move", dependencies=admins_form)
def move(
    request: Request,
    category_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        category = service.move_category(
            db_session=db_session,
            category_id=category_id,
            parent_id=_parent(parent_id),
            actor=Actor.staff(staff),
            rules=settings.expert_ranking_rules,
        )
    except InvalidCategory as invalid:
        error = " ".join(
            found.translated(_, translator.language.get()) for found in invalid.problems.values()
        )
        return _page(request, db_session, error=error, status_code=400)
    if category is None:
        return Response(status_code=404)
    db_session.commit()
    flash.notice(
        CATEGORIES_PATH,
        N_("The category “%(name)s” has been moved."),
        name=category.name(translator.language.get()),
    )
    return flash.redirect(CATEGORIES_PATH, fragment=f"category-{category.id}")


def _shift(db_session, staff, flash, category_id: Id, offset: int) -> Response:
    category = service.shift_category(
        db_session=db_session, category_id=category_id, offset=offset, actor=Actor.staff(staff)
    )
    if category is None:
        return Response(status_code=404)
    db_session.commit()
    return flash.redirect(CATEGORIES_PATH, fragment=f"category-{category.id}")


@router.post("/{category_id}/up", dependencies=admins_form)
def move_up(
    category_id: Id, db_session: SessionDep, staff: CurrentStaff, flash: FlashDep
) -> Response:
    return _shift(db_session, staff, flash, category_id, -1)


@router.post("/{category_id}/down", dependencies=admins_form)
def move_down(
    category_id: Id, db_session: SessionDep, staff: CurrentStaff, flash: FlashDep
) -> Response:
    return _shift(db_session, staff, flash, category_id, 1)


@router.post("/{category_id}/remove", dependencies=admins_form)
def remove(
    request: Request, category_id: Id, db_session: SessionDep, staff: CurrentStaff, flash: FlashDep
) -> Response:
    try:
        category = service.remove_category(
            db_session=db_session, category_id=category_id, actor=Actor.staff(staff)
        )
    except CategoryInUse as refused:
        db_session.rollback()
        return _page(
            request,
            db_session,
            error=refused.problem.translated(_, translator.language.get()),
            status_code=409,
        )
    if category is None:
        return Response(status_code=404)
    db_session.commit()
    flash.notice(
        CATEGORIES_PATH,
        N_("The category “%(name)s” has been removed."),
        name=category.name(translator.language.get()),
    )
    return flash.redirect(CATEGORIES_PATH)
