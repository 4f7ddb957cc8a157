"""Experts for the search, ranking and badge tests, stored as the product stores them: a
staff member with the role "expert", an approved profile in its categories, its search
entry written by `agent_portal.expert_search.index` (as approving does), and presence through
the live channel's connection rows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.database import utcnow
from agent_portal.expert_search import index
from agent_portal.expert_search.models import ExpertRating
from agent_portal.experts.models import ExpertCategory, ExpertProfile, ExpertProfileCategory
from agent_portal.realtime import presence

AWAY_AFTER = timedelta(minutes=5)


def add_category(
    db_session: Session, name_de: str, name_en: str, parent: ExpertCategory | None = None
) -> ExpertCategory:
    category = ExpertCategory(
        name_de=name_de, name_en=name_en, parent_id=parent.id if parent else None
    )
    db_session.add(category)
    db_session.flush()
    return category


def add_expert(
    db_session: Session,
    name: str,
    *,
    categories: list[ExpertCategory] = (),
    keywords: str = "",
    slogan: str = "",
    qualifications: str = "",
    experience: str = "",
    languages: str = "de",
    price_per_minute: int | None = 150,
    price_per_session: int | None = None,
    approved: bool = True,
    suspended: bool = False,
) -> ExpertProfile:
    now = utcnow()
    staff = StaffMember(
        username=name.lower().replace(" ", ".") + "." + uuid.uuid4().hex[:6],
        display_name=name,
        role="expert",
        password_hash="!unusable",
    )
    db_session.add(staff)
    db_session.flush()
    profile = ExpertProfile(
        staff_id=staff.id,
        display_name=name,
        keywords=keywords,
        slogan=slogan,
        qualifications=qualifications,
        experience=experience,
        languages=languages,
        price_per_minute=price_per_minute,
        price_per_session=price_per_session,
        currency="CHF",
        approved_at=now if approved else None,
        suspended_at=now if suspended else None,
    )
    profile.categories = [
        ExpertProfileCategory(category_id=category.id, position=position)
        for position, category in enumerate(categories)
    ]
    db_session.add(profile)
    db_session.flush()
    index.update_entry(db_session=db_session, profile=profile, now=now)
    db_session.commit()
    return profile


def rate(
    db_session: Session,
    profile: ExpertProfile,
    score: int,
    minutes: float,
    cents: int,
    *,
    category: ExpertCategory | None = None,
    at: datetime | None = None,
) -> None:
    """A rated paid session, as the sessions will store it, and the ranking anew."""
    db_session.add(
        ExpertRating(
            profile_id=profile.id,
            category_id=category.id if category else None,
            score=score,
            seconds=round(minutes * 60),
            cents=cents,
            created_at=at or utcnow(),
        )
    )
    db_session.flush()
    index.refresh_scores(db_session=db_session, profile_ids=[profile.id])
    db_session.commit()


def go_online(
    db_session: Session, profile: ExpertProfile, *, idle: timedelta = timedelta(0)
) -> None:
    """A portal tab of the expert, last used `idle` ago (away after AWAY_AFTER)."""
    now = utcnow()
    presence.open_connection(
        db_session=db_session,
        connection_id=uuid.uuid4().hex,
        worker_id="test-worker",
        now=now - idle,
        staff_id=profile.staff_id,
    )
    # The worker still refreshes the tab's row; its last input stays `idle` ago.
    presence.refresh_worker(db_session=db_session, worker_id="test-worker", now=now)
    db_session.commit()
