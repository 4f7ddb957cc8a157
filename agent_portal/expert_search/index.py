"""Keeps the search index (`models.ExpertSearchEntry`) in step with the profiles:
a findable profile (approved, not suspended, its account an active expert's:
`ExpertProfile.is_visible`) has exactly one entry, with its categories and all their
parents; any other has none. The profile service calls `update_entry` whenever a profile is
approved, changed, suspended or reinstated, in the same transaction (it flushes, never
commits); `update_category` after a category's names change; `account_changed` follows the
expert's account (the staff pages, through `Domain.account_changed`). So an entry is
always an active expert's, which the search's "who is online" relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.expert_search import ratings
from agent_portal.expert_search.models import ExpertSearchCategory, ExpertSearchEntry
from agent_portal.expert_search.ranking import DEFAULT_RULES, Ranked, RankingRules, rank
from agent_portal.experts.models import ExpertCategory, ExpertProfile


def with_parents(db_session: Session, category_ids: Iterable[int]) -> list[ExpertCategory]:
    """The categories and every parent above them, each once (the tree is small)."""
    tree = {category.id: category for category in db_session.scalars(select(ExpertCategory))}
    return with_parents_in(tree, category_ids)


def with_parents_in(
    tree: dict[int, ExpertCategory], category_ids: Iterable[int]
) -> list[ExpertCategory]:
    found: dict[int, ExpertCategory] = {}
    for category_id in category_ids:
        while category_id is not None and category_id not in found and category_id in tree:
            found[category_id] = tree[category_id]
            category_id = tree[category_id].parent_id
    return list(found.values())


def entry_values(
    profile: ExpertProfile, categories: list[ExpertCategory], ranked: Ranked, now: datetime
) -> dict[str, object]:
    """The columns of a profile's entry (but its number), from the profile, its categories
    with their parents, and its rank."""
    return {
        "staff_id": profile.staff_id,
        "display_name": profile.display_name or profile.staff.name,
        "categories": " ".join(
            name for category in categories for name in (category.name_de, category.name_en)
        ),
        "keywords": " ".join(profile.keyword_list),
        "slogan": profile.slogan,
        "texts": "\n".join((profile.qualifications, profile.experience)),
        "languages": " " + " ".join(sorted(set(profile.language_list))) + " ",
        "price_per_minute": profile.price_per_minute,
        "price_per_session": profile.price_per_session,
        "currency": profile.currency,
        "score": ranked.score,
        "rating_weight": ranked.weight,
        "rating_count": ranked.count,
        "indexed_at": now,
    }


def update_entry(
    *,
    db_session: Session,
    profile: ExpertProfile,
    now: datetime,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertSearchEntry | None:
    """Writes the profile's entry, or removes it when customers may not see the profile."""
    db_session.flush()  # the profile's own changes first
    entry = db_session.get(ExpertSearchEntry, profile.id)
    db_session.execute(
        delete(ExpertSearchCategory).where(ExpertSearchCategory.profile_id == profile.id)
    )
    if not profile.is_visible:
        if entry is not None:
            db_session.delete(entry)
        db_session.flush()
        return None
    categories = with_parents(db_session, profile.category_ids)
    ranked = ratings.ranked(db_session=db_session, profile_id=profile.id, rules=rules)
    values = entry_values(profile, categories, ranked, now)
    if entry is None:
        entry = ExpertSearchEntry(profile_id=profile.id, **values)
        db_session.add(entry)
    else:
        for name, value in values.items():
            setattr(entry, name, value)
    db_session.flush()
    db_session.add_all(
        ExpertSearchCategory(category_id=category.id, profile_id=profile.id)
        for category in categories
    )
    db_session.flush()
    return entry


def account_changed(*, db_session: Session, member: StaffMember, now: datetime) -> None:
    """A staff account was deactivated, reactivated or given another role: its profile is
    findable only while the account is an active expert's (`ExpertProfile.is_visible`)."""
    profile = db_session.scalar(select(ExpertProfile).where(ExpertProfile.staff_id == member.id))
    if profile is not None:
        update_entry(db_session=db_session, profile=profile, now=now)


def update_category(
    *, db_session: Session, category_id: int, now: datetime, rules: RankingRules = DEFAULT_RULES
) -> None:
    """After a category's names changed: the entries listed in it (or below it) anew."""
    listed = select(ExpertSearchCategory.profile_id).where(
        ExpertSearchCategory.category_id == category_id
    )
    for profile in db_session.scalars(select(ExpertProfile).where(ExpertProfile.id.in_(listed))):
        update_entry(db_session=db_session, profile=profile, now=now, rules=rules)


def refresh_scores(
    *, db_session: Session, profile_ids: Iterable[int], rules: RankingRules = DEFAULT_RULES
) -> None:
    """The ranking of these profiles anew, e.g. after a rating was stored."""
    found = ratings.ratings_of(db_session=db_session, profile_ids=profile_ids)
    for profile_id, profile_ratings in found.items():
        ranked = rank(profile_ratings, rules)
        db_session.execute(
            update(ExpertSearchEntry)
            .where(ExpertSearchEntry.profile_id == profile_id)
            .values(score=ranked.score, rating_weight=ranked.weight, rating_count=ranked.count)
        )
    db_session.flush()
