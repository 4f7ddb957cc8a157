"""The expert's own profile in the portal, under `/portal/expert/profile` ("My profile"):
the form with photo upload, and where the profile stands (waiting for approval, sent
back with the admin's reason, approved, suspended). Saving sends the profile for
approval; customers keep seeing the approved version meanwhile.

`/portal/experts/photos/{photo_id}` shows a stored photo to the expert it belongs to
and to admins (customers get theirs through the JSON API).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.experts import service
from agent_portal.experts.errors import N_, InvalidPhoto, InvalidProfile, UnknownTimeZone, problem
from agent_portal.experts.models import ExpertProfile
from agent_portal.experts.page_texts import LANGUAGE_NAMES, language_name
from agent_portal.experts.profile_input import (
    DISPLAY_NAME_MAX,
    EXPERIENCE_MAX,
    QUALIFICATIONS_MAX,
    SLOGAN_MAX,
    PriceLimits,
    parse_price,
    price_text,
)
from agent_portal.i18n import _, translator
from agent_portal.params import Id
from agent_portal.web.templating import render

PROFILE_PATH = "/portal/expert/profile"
TIME_ZONE_PATH = "/portal/expert/profile/time-zone"
PHOTO_PATH = "/portal/experts/photos/{photo_id}"

router = APIRouter(tags=["portal"], include_in_schema=False)
experts = [require_staff("expert")]
experts_form = [require_staff("expert"), csrf_protected()]


def _values_of(version, currency: str) -> dict:
    return {
        "display_name": version.display_name,
        "languages": version.language_list,
        "category_ids": version.category_ids,
        "keywords": ", ".join(version.keyword_list),
        "slogan": version.slogan,
        "qualifications": version.qualifications,
        "experience": version.experience,
        "text_language": version.text_language,
        "price_per_minute": price_text(version.price_per_minute, currency),
        "price_per_session": price_text(version.price_per_session, currency),
        "photo_id": version.photo_id,
    }


def _empty_values(staff) -> dict:
    language = translator.language.get()
    return {
        "display_name": staff.name,
        "languages": [language],
        "category_ids": [],
        "keywords": "",
        "slogan": "",
        "qualifications": "",
        "experience": "",
        "text_language": language,
        "price_per_minute": "",
        "price_per_session": "",
        "photo_id": None,
    }


def _state(profile: ExpertProfile | None) -> str:
    """Where the profile stands, as one word the page explains."""
    if profile is None or (profile.approved_at is None and profile.draft is None):
        return "new"  # never sent (a time zone alone may have been saved)
    if profile.suspended_at is not None:
        return "suspended"
    if profile.draft is not None:
        return "rejected" if not profile.draft.is_pending else "pending"
    return "approved"


def _form_page(
    request: Request,
    *,
    db_session,
    settings,
    profile: ExpertProfile | None,
    values: dict,
    problems: dict | None = None,
    status_code: int = 200,
    zone_value: str | None = None,
    zone_error: str | None = None,
) -> HTMLResponse:
    language = translator.language.get()
    if zone_value is None:
        zone_value = (profile.time_zone if profile else None) or settings.time_zone
    limits = PriceLimits.from_settings(settings)
    problems = problems or {}
    return render(
        request,
        "experts/my_profile.html",
        status_code=status_code,
        page_url=PROFILE_PATH,
        profile=profile,
        state=_state(profile),
        values=values,
        problems={field: found.translated(_, language) for field, found in problems.items()},
        error=_("Your profile was not saved. Please correct the marked fields.")
        if problems
        else None,
        tree=service.category_tree(db_session=db_session),
        spoken_languages=[(code, language_name(code, language)) for code in LANGUAGE_NAMES],
        limits=limits,
        categories_max=service.CATEGORIES_MAX,
        display_name_max=DISPLAY_NAME_MAX,
        slogan_max=SLOGAN_MAX,
        qualifications_max=QUALIFICATIONS_MAX,
        experience_max=EXPERIENCE_MAX,
        photo_max_bytes=settings.expert_photo_max_bytes,
        zone_value=zone_value,
        zone_error=zone_error,
        zone_names=service.zone_names(),
    )


@router.get(PROFILE_PATH, response_class=HTMLResponse, dependencies=experts)
def my_profile(
    request: Request, db_session: SessionDep, settings: SettingsDep, staff: CurrentStaff
) -> HTMLResponse:
    profile = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
    if _state(profile) == "new":
        values = _empty_values(staff)
    else:
        version = profile.draft or profile
        values = _values_of(version, version.currency)
    return _form_page(
        request, db_session=db_session, settings=settings, profile=profile, values=values
    )


@router.post(PROFILE_PATH, dependencies=experts_form)
def save_my_profile(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    display_name: Annotated[str, Form()] = "",
    languages: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    category_ids: Annotated[list[int], Form()] = [],  # noqa: B006
    keywords: Annotated[str, Form()] = "",
    slogan: Annotated[str, Form()] = "",
    qualifications: Annotated[str, Form()] = "",
    experience: Annotated[str, Form()] = "",
    text_language: Annotated[str, Form()] = "",
    price_per_minute: Annotated[str, Form()] = "",
    price_per_session: Annotated[str, Form()] = "",
    remove_photo: Annotated[bool, Form()] = False,
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    profile = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
    limits = PriceLimits.from_settings(settings)
    values = {
        "display_name": display_name,
        "languages": languages,
        "category_ids": category_ids,
        "keywords": keywords,
        "slogan": slogan,
        "qualifications": qualifications,
        "experience": experience,
        "text_language": text_language,
        "price_per_minute": price_per_minute,
        "price_per_session": price_per_session,
        "photo_id": (profile.draft or profile).photo_id if profile else None,
    }
    problems = {}
    prices = {}
    for field in ("price_per_minute", "price_per_session"):
        try:
            prices[field] = parse_price(values[field], limits.currency)
        except ValueError:
            problems[field] = problem(N_("Enter an amount like 1.50."))
    upload = None
    if photo is not None and photo.filename:
        upload = photo.file.read(settings.expert_photo_max_bytes + 1) or b""
    try:
        profile_in = service.validate(
            db_session=db_session,
            limits=limits,
            display_name=display_name,
            languages=languages,
            category_ids=category_ids,
            keywords=keywords,
            slogan=slogan,
            qualifications=qualifications,
            experience=experience,
            text_language=text_language,
            price_per_minute=prices.get("price_per_minute"),
            price_per_session=prices.get("price_per_session"),
        )
    except InvalidProfile as invalid:
        # A price that did not parse is not "missing": its own problem wins.
        problems = {**invalid.problems, **problems}
    if problems:
        return _refused(request, db_session, settings, profile, values, problems)
    if upload is not None and not upload:
        problems["photo"] = problem(N_("The photo is empty: choose an image file."))
        return _refused(request, db_session, settings, profile, values, problems)
    try:
        service.submit_profile(
            db_session=db_session,
            staff=staff,
            profile_in=profile_in,
            photo_upload=upload,
            remove_photo=remove_photo,
            photo_max_bytes=settings.expert_photo_max_bytes,
        )
    except InvalidPhoto as refused:
        db_session.rollback()
        profile = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
        return _refused(request, db_session, settings, profile, values, {"photo": refused.problem})
    db_session.commit()
    flash.notice(
        PROFILE_PATH,
        N_(
            "Your profile has been sent for approval. Customers see it once an "
            "administrator has approved it."
        ),
    )
    return flash.redirect(PROFILE_PATH)


@router.post(TIME_ZONE_PATH, dependencies=experts_form)
def save_my_time_zone(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    time_zone: Annotated[str, Form()] = "",
) -> Response:
    """The expert's own zone, saved at once (customers do not read it)."""
    try:
        saved = service.set_time_zone(
            db_session=db_session, staff=staff, time_zone=time_zone, now=utcnow()
        )
    except UnknownTimeZone as unknown:
        db_session.rollback()
        profile = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
        if _state(profile) == "new":
            values = _empty_values(staff)
        else:
            values = _values_of(profile.draft or profile, (profile.draft or profile).currency)
        return _form_page(
            request,
            db_session=db_session,
            settings=settings,
            profile=profile,
            values=values,
            status_code=400,
            zone_value=time_zone[:200],
            zone_error=unknown.problem.translated(_, translator.language.get()),
        )
    zone = saved.time_zone
    db_session.commit()
    flash.notice(PROFILE_PATH, N_("Your time zone is saved: %(zone)s."), zone=zone)
    return flash.redirect(PROFILE_PATH)


def _refused(request, db_session, settings, profile, values, problems) -> HTMLResponse:
    return _form_page(
        request,
        db_session=db_session,
        settings=settings,
        profile=profile,
        values=values,
        problems=problems,
        status_code=400,
    )


@router.get(PHOTO_PATH, dependencies=[require_staff("expert", "admin")])
def staff_photo(photo_id: Id, db_session: SessionDep, staff: CurrentStaff) -> Response:
    photo = service.photo_by_id(db_session=db_session, photo_id=photo_id)
    if photo is not None and staff.role == "expert":
        own = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
        shown = {own.photo_id, own.draft.photo_id if own.draft else None} if own else set()
        if photo_id not in shown:
            photo = None
    if photo is None:
        return Response(status_code=404)
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, max-age=3600", "ETag": f'"{photo.digest}"'},
    )
