"""The ratings the ranking reads, and what a profile page shows of them.

`ratings_of` is the one place the ranking gets its (score, minutes, cents) triples from:
the `expert_ratings` table, which `agent_portal.session_ratings` fills when a customer's
rating of a paid session is revealed.
Service functions: they take a session and never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.expert_search.models import ExpertRating
from agent_portal.expert_search.ranking import DEFAULT_RULES, Ranked, RankingRules, Rating, rank


def _triple(row: ExpertRating) -> Rating:
    return Rating(row.score, row.seconds / 60, row.cents)


def ratings_of(
    *, db_session: Session, profile_ids: Iterable[int], category_id: int | None = None
) -> dict[int, list[Rating]]:
    """Each profile's ratings (all, or those about one category), oldest first; a profile
    without ratings maps to an empty list."""
    ids = list(profile_ids)
    found: dict[int, list[Rating]] = {profile_id: [] for profile_id in ids}
    if not ids:
        return found
    statement = select(ExpertRating).where(ExpertRating.profile_id.in_(ids))
    if category_id is not None:
        statement = statement.where(ExpertRating.category_id == category_id)
    for row in db_session.scalars(statement.order_by(ExpertRating.created_at, ExpertRating.id)):
        found[row.profile_id].append(_triple(row))
    return found


def ranked(*, db_session: Session, profile_id: int, rules: RankingRules = DEFAULT_RULES) -> Ranked:
    return rank(ratings_of(db_session=db_session, profile_ids=[profile_id])[profile_id], rules)


@dataclass(frozen=True)
class CategoryRating:
    category_id: int | None  # None: ratings whose category is gone
    ranked: Ranked


@dataclass(frozen=True)
class RatingSummary:
    """What a profile page shows: the overall rank, one per category the expert was rated
    in (best first), how many sessions were rated and when the last one was."""

    overall: Ranked
    by_category: list[CategoryRating]
    sessions: int
    last_rated_at: datetime | None


def summary(
    *, db_session: Session, profile_id: int, rules: RankingRules = DEFAULT_RULES
) -> RatingSummary:
    rows = list(
        db_session.scalars(
            select(ExpertRating)
            .where(ExpertRating.profile_id == profile_id)
            .order_by(ExpertRating.created_at, ExpertRating.id)
        )
    )
    per_category: dict[int | None, list[Rating]] = defaultdict(list)
    for row in rows:
        per_category[row.category_id].append(_triple(row))
    by_category = sorted(
        (
            CategoryRating(category_id, rank(ratings, rules))
            for category_id, ratings in per_category.items()
        ),
        key=lambda item: (-item.ranked.score, -item.ranked.weight, item.category_id or 0),
    )
    return RatingSummary(
        overall=rank(map(_triple, rows), rules),
        by_category=by_category,
        sessions=len(rows),
        last_rated_at=rows[-1].created_at if rows else None,
    )


def session_counts(*, db_session: Session, profile_ids: Iterable[int]) -> dict[int, int]:
    ids = list(profile_ids)
    if not ids:
        return {}
    statement = (
        select(ExpertRating.profile_id, func.count())
        .where(ExpertRating.profile_id.in_(ids))
        .group_by(ExpertRating.profile_id)
    )
    return {profile_id: 0 for profile_id in ids} | dict(db_session.execute(statement).all())
