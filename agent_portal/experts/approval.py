"""Admins' decisions on expert profiles: approve or reject a waiting change (with a reason
the expert reads), suspend and reinstate an expert. Every decision is audited.

Approving copies the waiting change onto the profile (what customers see) and deletes it.
Suspending only sets the profile's state: it takes the expert out of everything
customer-facing at once (`profiles.visible_condition`) and changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.database import utcnow
from agent_portal.expert_search import index
from agent_portal.expert_search.ranking import DEFAULT_RULES, RankingRules
from agent_portal.experts.audit_events import Event
from agent_portal.experts.errors import N_, InvalidProfile, NoPendingChange, problem
from agent_portal.experts.models import (
    DraftStatus,
    ExpertProfile,
    ExpertProfileCategory,
    ExpertProfileDraft,
)
from agent_portal.experts.profiles import PROFILE_FIELDS, forget_unused_photo, set_categories

REASON_MAX = 500


@dataclass(frozen=True)
class Change:
    """One field of a waiting change that differs from what customers see now."""

    field: str
    before: object
    after: object


def pending_profiles(*, db_session: Session) -> list[ExpertProfile]:
    """Profiles with a change waiting for approval, the longest waiting first."""
    statement = (
        select(ExpertProfile)
        .join(ExpertProfileDraft)
        .where(ExpertProfileDraft.status == DraftStatus.PENDING.value)
        .order_by(ExpertProfileDraft.submitted_at, ExpertProfile.id)
    )
    return list(db_session.scalars(statement))


def all_profiles(*, db_session: Session) -> list[ExpertProfile]:
    """Every profile, by name (admins' list)."""
    return list(db_session.scalars(select(ExpertProfile).order_by(ExpertProfile.display_name)))


def changes(profile: ExpertProfile) -> list[Change]:
    """What the waiting change would change; a never approved profile: every field."""
    draft = profile.draft
    if draft is None:
        return []
    found = []
    # The currency is shown with the prices, not as a change of its own.
    for field in (field for field in PROFILE_FIELDS if field != "currency"):
        before, after = getattr(profile, field), getattr(draft, field)
        if profile.approved_at is None or before != after:
            found.append(Change(field, before, after))
    if profile.approved_at is None or profile.category_ids != draft.category_ids:
        found.append(Change("categories", profile.category_ids, draft.category_ids))
    if profile.approved_at is None or profile.photo_id != draft.photo_id:
        found.append(Change("photo", profile.photo_id, draft.photo_id))
    return found


def _pending_draft(
    db_session: Session, profile_id: int
) -> tuple[ExpertProfile, ExpertProfileDraft]:
    profile = db_session.get(ExpertProfile, profile_id)
    if profile is None or profile.draft is None or not profile.draft.is_pending:
        raise NoPendingChange(profile_id)
    return profile, profile.draft


def approve_change(
    *,
    db_session: Session,
    profile_id: int,
    actor: audit.Actor,
    now: datetime | None = None,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertProfile:
    """Makes the waiting change what customers see (NoPendingChange if there is none), and
    its search entry, ranked by `rules` (the server's `PORTAL_EXPERT_RANK_*`)."""
    profile, draft = _pending_draft(db_session, profile_id)
    now = now or utcnow()
    earlier_photo_id = profile.photo_id
    for field in PROFILE_FIELDS:
        setattr(profile, field, getattr(draft, field))
    profile.photo_id = draft.photo_id
    set_categories(profile, draft.category_ids, ExpertProfileCategory)
    profile.approved_at = now
    profile.draft = None  # deleted (delete-orphan), its categories with it
    db_session.flush()
    index.update_entry(db_session=db_session, profile=profile, now=now)
    forget_unused_photo(db_session=db_session, photo_id=earlier_photo_id)
    index.update_entry(db_session=db_session, profile=profile, now=now, rules=rules)
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_PROFILE_APPROVED,
        actor=actor,
        now=now,
        expert=profile.display_name,
        profile_id=profile.id,
    )
    return profile


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidProfile({"reason": problem(N_("Give a reason: the expert will read it."))})
    if len(reason) > REASON_MAX:
        raise InvalidProfile(
            {
                "reason": problem(
                    N_("At most %(maximum)s characters, please (now %(length)s)."),
                    maximum=REASON_MAX,
                    length=len(reason),
                )
            }
        )
    return reason


def reject_change(
    *,
    db_session: Session,
    profile_id: int,
    reason: str,
    actor: audit.Actor,
    now: datetime | None = None,
) -> ExpertProfileDraft:
    """Sends the waiting change back to the expert with the reason; customers keep seeing
    the approved version. A reason is required (InvalidProfile)."""
    reason = _clean_reason(reason)
    profile, draft = _pending_draft(db_session, profile_id)
    now = now or utcnow()
    draft.status = DraftStatus.REJECTED.value
    draft.rejected_at = now
    draft.rejected_by_id = actor.staff_id
    draft.rejection_reason = reason
    db_session.flush()
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_PROFILE_REJECTED,
        actor=actor,
        now=now,
        expert=draft.display_name or profile.display_name,
        profile_id=profile.id,
        reason=reason,
    )
    return draft


def suspend_expert(
    *,
    db_session: Session,
    profile_id: int,
    reason: str,
    actor: audit.Actor,
    now: datetime | None = None,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertProfile | None:
    """Takes the expert out of everything customer-facing at once (search too); None if
    unknown. Suspending a suspended expert changes nothing."""
    reason = _clean_reason(reason)
    profile = db_session.get(ExpertProfile, profile_id)
    if profile is None or profile.suspended_at is not None:
        return profile
    now = now or utcnow()
    profile.suspended_at = now
    profile.suspension_reason = reason
    db_session.flush()
    index.update_entry(db_session=db_session, profile=profile, now=now, rules=rules)
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_SUSPENDED,
        actor=actor,
        now=now,
        expert=profile.display_name or profile.staff.name,
        profile_id=profile.id,
        reason=reason,
    )
    return profile


def reinstate_expert(
    *,
    db_session: Session,
    profile_id: int,
    actor: audit.Actor,
    now: datetime | None = None,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertProfile | None:
    """Ends a suspension: the approved version is visible (and found) again; None if
    unknown."""
    profile = db_session.get(ExpertProfile, profile_id)
    if profile is None or profile.suspended_at is None:
        return profile
    now = now or utcnow()
    profile.suspended_at = None
    profile.suspension_reason = ""
    db_session.flush()
    index.update_entry(db_session=db_session, profile=profile, now=now, rules=rules)
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_REINSTATED,
        actor=actor,
        now=now,
        expert=profile.display_name or profile.staff.name,
        profile_id=profile.id,
    )
    return profile
