"""What the search answers and what a badge or a profile page shows, as the wire formats
(`isp_common.experts_wire`): the search's results with their category names in the
reader's language, a findable expert's public status, a profile's ratings per category.
Service functions: they take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.expert_search import ratings
from agent_portal.expert_search.models import ExpertSearchEntry
from agent_portal.expert_search.presence import ExpertStatus, status_of
from agent_portal.expert_search.ranking import DEFAULT_RULES, RankingRules
from agent_portal.expert_search.search import Page
from agent_portal.experts.models import ExpertCategory, ExpertProfileCategory
from isp_common.experts_wire import ExpertBadgeStatus, ExpertSearchResults


def _category_names(db_session: Session, profile_id: int, language: str) -> list[str]:
    """The profile's own categories, in its order, named in `language`."""
    name = ExpertCategory.name_de if language == "de" else ExpertCategory.name_en
    return list(
        db_session.scalars(
            select(name)
            .join(ExpertProfileCategory, ExpertProfileCategory.category_id == ExpertCategory.id)
            .where(ExpertProfileCategory.profile_id == profile_id)
            .order_by(ExpertProfileCategory.position)
        )
    )


def results(page: Page, language: str) -> ExpertSearchResults:
    """A page of the search as the API answers it, its categories named in `language`.
    Validated as one tree: half the time of building each part as a model of its own."""
    german = language == "de"
    experts = [
        {
            "id": entry.profile_id,
            "display_name": entry.display_name,
            "slogan": entry.slogan,
            "categories": [
                {
                    "id": category.id,
                    "name": category.name_de if german else category.name_en,
                    "parent_id": category.parent_id,
                }
                for category in entry.categories
            ],
            "languages": entry.languages.split(),
            "prices": {
                "currency": entry.currency,
                "per_minute": entry.price_per_minute,
                "per_session": entry.price_per_session,
            },
            "status": status.value,
            "score": round(entry.score, 2),
            "rated_sessions": entry.rating_count,
        }
        for entry, status in ((found.entry, found.status) for found in page.experts)
    ]
    return ExpertSearchResults.model_validate({"experts": experts, "next_cursor": page.next_cursor})


def badge_status(
    *, db_session: Session, profile_id: int, language: str, now: datetime, away_after: timedelta
) -> ExpertBadgeStatus | None:
    """What a badge shows of a findable expert; None for anyone else (unknown, not
    approved, suspended): those look the same from outside."""
    entry = db_session.get(ExpertSearchEntry, profile_id)
    if entry is None:
        return None
    status = status_of(
        db_session=db_session, staff_id=entry.staff_id, now=now, away_after=away_after
    )
    return ExpertBadgeStatus(
        id=profile_id,
        display_name=entry.display_name,
        categories=_category_names(db_session, profile_id, language),
        status=status.value,
    )


@dataclass(frozen=True)
class ProfileRatings:
    """A profile page's ratings: per category, sessions, status and when last online."""

    summary: ratings.RatingSummary
    category_names: dict[int, str]
    status: ExpertStatus
    # Now while online or away; else the last sign-in to the portal (presence keeps no
    # history of closed tabs); None when the expert never signed in.
    last_online_at: datetime | None


def profile_ratings(
    *,
    db_session: Session,
    profile_id: int,
    language: str,
    now: datetime,
    away_after: timedelta,
    rules: RankingRules = DEFAULT_RULES,
) -> ProfileRatings | None:
    """The ratings part of a findable profile's page; None for a profile customers
    cannot see."""
    entry = db_session.get(ExpertSearchEntry, profile_id)
    if entry is None:
        return None
    summary = ratings.summary(db_session=db_session, profile_id=profile_id, rules=rules)
    ids = [item.category_id for item in summary.by_category if item.category_id is not None]
    names = {
        category.id: category.name(language)
        for category in db_session.scalars(select(ExpertCategory).where(ExpertCategory.id.in_(ids)))
    }
    status = status_of(
        db_session=db_session, staff_id=entry.staff_id, now=now, away_after=away_after
    )
    staff = db_session.get(StaffMember, entry.staff_id)
    online = status in (ExpertStatus.online, ExpertStatus.away, ExpertStatus.busy)
    return ProfileRatings(
        summary=summary,
        category_names=names,
        status=status,
        last_online_at=now if online else (staff.last_login_at if staff else None),
    )
