"""Expert profiles: what customers may see, and the expert's own editing.

Customers only ever see the approved version, in the columns of `ExpertProfile`, and only
while it is visible (approved, not suspended, and the account an active expert's). An
expert's save goes to the profile's `ExpertProfileDraft` and waits for an admin
(`approval.py`); the approved version stays what customers see meanwhile.

Functions take a `db_session`, check everything before they write, flush and never
commit. An expert is named by the id of their profile (`expert_id`, `ExpertProfile.id`)
towards customers, by their staff id in the portal.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.auth.models import EXPERT_ROLE, StaffMember
from agent_portal.database import utcnow
from agent_portal.experts import photos
from agent_portal.experts.audit_events import Event
from agent_portal.experts.models import (
    DraftStatus,
    ExpertCategory,
    ExpertPhoto,
    ExpertProfile,
    ExpertProfileCategory,
    ExpertProfileDraft,
    ExpertProfileDraftCategory,
)
from agent_portal.experts.profile_input import PriceLimits, ProfileIn, clean_profile

PROFILE_FIELDS = (
    "display_name",
    "languages",
    "keywords",
    "slogan",
    "qualifications",
    "experience",
    "text_language",
    "price_per_minute",
    "price_per_session",
    "currency",
)


def visible_condition() -> ColumnElement[bool]:
    """The SQL condition "customers may see this profile" (`ExpertProfile.is_visible`)."""
    active_experts = select(StaffMember.id).where(
        StaffMember.is_active.is_(True), StaffMember.role == EXPERT_ROLE
    )
    return and_(
        ExpertProfile.approved_at.is_not(None),
        ExpertProfile.suspended_at.is_(None),
        ExpertProfile.staff_id.in_(active_experts),
    )


def visible_profiles_query() -> Select[tuple[ExpertProfile]]:
    """A query of the visible profiles, to narrow and order further (search, ranking)."""
    return select(ExpertProfile).where(visible_condition())


def visible_profiles(*, db_session: Session, category_id: int | None = None) -> list[ExpertProfile]:
    """The profiles customers may see (`visible_condition`), by name; only those
    listed in `category_id` when given."""
    statement = visible_profiles_query().order_by(ExpertProfile.display_name, ExpertProfile.id)
    if category_id is not None:
        statement = statement.where(
            ExpertProfile.id.in_(
                select(ExpertProfileCategory.profile_id).where(
                    ExpertProfileCategory.category_id == category_id
                )
            )
        )
    return list(db_session.scalars(statement))


def public_profile(*, db_session: Session, expert_id: int) -> ExpertProfile | None:
    """The approved profile customers see; None when unknown, never approved, suspended, or
    its account deactivated or no longer an expert's."""
    profile = db_session.get(ExpertProfile, expert_id)
    if profile is None or not profile.is_visible:
        return None
    return profile


def public_photo(*, db_session: Session, expert_id: int) -> ExpertPhoto | None:
    """The approved photo of a visible profile; None otherwise."""
    profile = public_profile(db_session=db_session, expert_id=expert_id)
    if profile is None or profile.photo_id is None:
        return None
    return db_session.get(ExpertPhoto, profile.photo_id)


def photo_by_id(*, db_session: Session, photo_id: int) -> ExpertPhoto | None:
    """Any stored photo (for the portal's own pages: the expert, admins)."""
    return db_session.get(ExpertPhoto, photo_id)


def profile_of_staff(*, db_session: Session, staff_id: int) -> ExpertProfile | None:
    """The expert's profile in whatever state (the portal's "My profile")."""
    return db_session.scalar(select(ExpertProfile).where(ExpertProfile.staff_id == staff_id))


def get_profile(*, db_session: Session, expert_id: int) -> ExpertProfile | None:
    """Any profile by id, visible or not (admins' pages)."""
    return db_session.get(ExpertProfile, expert_id)


def known_category_ids(db_session: Session) -> set[int]:
    return set(db_session.scalars(select(ExpertCategory.id)))


def validate(
    *, db_session: Session, limits: PriceLimits, **typed
) -> ProfileIn:  # typed: clean_profile's fields
    """The profile as it would be stored; InvalidProfile naming each bad field."""
    return clean_profile(limits=limits, known_category_ids=known_category_ids(db_session), **typed)


def submit_profile(
    *,
    db_session: Session,
    staff: StaffMember,
    profile_in: ProfileIn,
    photo_upload: bytes | None = None,
    remove_photo: bool = False,
    photo_max_bytes: int,
    now: datetime | None = None,
) -> ExpertProfileDraft:
    """Stores the expert's profile as the change waiting for approval (replacing one that
    waited or was rejected). A new photo is checked and re-encoded first (InvalidPhoto),
    so a bad upload stores nothing. Customers keep seeing the approved version."""
    new_photo = photos.new_photo(photo_upload, max_bytes=photo_max_bytes) if photo_upload else None
    now = now or utcnow()
    profile = profile_of_staff(db_session=db_session, staff_id=staff.id)
    if profile is None:
        profile = ExpertProfile(staff_id=staff.id, created_at=now, currency=profile_in.currency)
        db_session.add(profile)
        db_session.flush()
    draft = profile.draft
    if draft is None:
        draft = ExpertProfileDraft(photo_id=profile.photo_id)
        profile.draft = draft
    earlier_photo_id = draft.photo_id
    draft.display_name = profile_in.display_name
    draft.languages = ",".join(profile_in.languages)
    draft.keywords = ", ".join(profile_in.keywords)
    draft.slogan = profile_in.slogan
    draft.qualifications = profile_in.qualifications
    draft.experience = profile_in.experience
    draft.text_language = profile_in.text_language
    draft.price_per_minute = profile_in.price_per_minute
    draft.price_per_session = profile_in.price_per_session
    draft.currency = profile_in.currency
    draft.status = DraftStatus.PENDING.value
    draft.submitted_at = now
    draft.rejected_at = None
    draft.rejected_by_id = None
    draft.rejection_reason = ""
    set_categories(draft, profile_in.category_ids, ExpertProfileDraftCategory)
    if new_photo is not None:
        new_photo.created_at = now
        db_session.add(new_photo)
        db_session.flush()
        draft.photo_id = new_photo.id
    elif remove_photo:
        draft.photo_id = None
    db_session.flush()
    forget_unused_photo(db_session=db_session, photo_id=earlier_photo_id)
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_PROFILE_SUBMITTED,
        actor=audit.Actor.staff(staff),
        now=now,
        expert=profile_in.display_name,
        profile_id=profile.id,
    )
    return draft


def set_categories(owner, category_ids, link_type) -> None:
    """Links `owner` (profile or draft) to these categories in this order, keeping the
    links it already has (a link replaced by an equal one would clash on flush)."""
    wanted = list(category_ids)
    owner.categories[:] = [link for link in owner.categories if link.category_id in wanted]
    kept = {link.category_id: link for link in owner.categories}
    for position, category_id in enumerate(wanted):
        link = kept.get(category_id)
        if link is None:
            owner.categories.append(link_type(category_id=category_id, position=position))
        else:
            link.position = position


def forget_unused_photo(*, db_session: Session, photo_id: int | None) -> None:
    """Deletes the photo when neither a profile nor a draft shows it any more."""
    if photo_id is None:
        return
    for model in (ExpertProfile, ExpertProfileDraft):
        if db_session.scalar(select(model.id).where(model.photo_id == photo_id).limit(1)):
            return
    photo = db_session.get(ExpertPhoto, photo_id)
    if photo is not None:
        db_session.delete(photo)
        db_session.flush()
