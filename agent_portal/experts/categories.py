"""The category tree admins keep: top categories and their sub-categories (two levels),
each with a German and an English name and a place among its siblings.

Functions take a `db_session`, validate first, flush and never commit. Those that change
the tree write an audit entry for the acting admin (`actor`, an `audit.service.Actor`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.database import utcnow
from agent_portal.expert_search import index
from agent_portal.expert_search.ranking import DEFAULT_RULES, RankingRules
from agent_portal.experts.audit_events import Event
from agent_portal.experts.errors import N_, CategoryInUse, InvalidCategory, Localized, problem
from agent_portal.experts.models import (
    ExpertCategory,
    ExpertProfileCategory,
    ExpertProfileDraftCategory,
)

NAME_MAX = 100


@dataclass
class CategoryNode:
    """A category of the tree with its sub-categories, in their order."""

    id: int
    name_de: str
    name_en: str
    position: int
    parent_id: int | None
    children: list[CategoryNode] = field(default_factory=list)

    def name(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en


def category_tree(*, db_session: Session) -> list[CategoryNode]:
    """The whole tree: top categories in their order, each with its sub-categories."""
    rows = db_session.scalars(
        select(ExpertCategory).order_by(ExpertCategory.position, ExpertCategory.id)
    ).all()
    nodes = {
        row.id: CategoryNode(row.id, row.name_de, row.name_en, row.position, row.parent_id)
        for row in rows
    }
    top = []
    for row in rows:
        node = nodes[row.id]
        if row.parent_id is None:
            top.append(node)
        elif row.parent_id in nodes:
            nodes[row.parent_id].children.append(node)
    return top


def get_category(*, db_session: Session, category_id: int) -> ExpertCategory | None:
    return db_session.get(ExpertCategory, category_id)


def categories_by_id(*, db_session: Session, ids: list[int]) -> dict[int, ExpertCategory]:
    if not ids:
        return {}
    rows = db_session.scalars(select(ExpertCategory).where(ExpertCategory.id.in_(ids)))
    return {row.id: row for row in rows}


def _clean_names(name_de: str, name_en: str) -> tuple[str, str]:
    problems = {}
    cleaned = []
    for field_name, value in (("name_de", name_de), ("name_en", name_en)):
        value = " ".join((value or "").split())
        if not value:
            problems[field_name] = problem(N_("Enter a name."))
        elif len(value) > NAME_MAX:
            problems[field_name] = problem(
                N_("At most %(limit)s characters, please."), limit=NAME_MAX
            )
        cleaned.append(value)
    if problems:
        raise InvalidCategory(problems)
    return cleaned[0], cleaned[1]


def _check_parent(
    db_session: Session, parent_id: int | None, moving: ExpertCategory | None = None
) -> None:
    if parent_id is None:
        return
    parent = db_session.get(ExpertCategory, parent_id)
    if parent is None:
        raise InvalidCategory({"parent_id": problem(N_("That parent category does not exist."))})
    if parent.parent_id is not None:
        raise InvalidCategory(
            {"parent_id": problem(N_("Sub-categories cannot have sub-categories of their own."))}
        )
    if moving is not None:
        if parent.id == moving.id:
            raise InvalidCategory(
                {"parent_id": problem(N_("A category cannot be its own parent."))}
            )
        if _has_children(db_session, moving.id):
            raise InvalidCategory(
                {"parent_id": problem(N_("A category with sub-categories stays a top category."))}
            )


def _has_children(db_session: Session, category_id: int) -> bool:
    return bool(db_session.scalar(select(exists().where(ExpertCategory.parent_id == category_id))))


def _next_position(db_session: Session, parent_id: int | None) -> int:
    siblings = select(func.max(ExpertCategory.position)).where(
        ExpertCategory.parent_id.is_(None)
        if parent_id is None
        else ExpertCategory.parent_id == parent_id
    )
    highest = db_session.scalar(siblings)
    return 0 if highest is None else highest + 1


def add_category(
    *,
    db_session: Session,
    name_de: str,
    name_en: str,
    parent_id: int | None = None,
    actor: audit.Actor,
    now: datetime | None = None,
) -> ExpertCategory:
    """A new category, last among its siblings."""
    name_de, name_en = _clean_names(name_de, name_en)
    _check_parent(db_session, parent_id)
    now = now or utcnow()
    category = ExpertCategory(
        name_de=name_de,
        name_en=name_en,
        parent_id=parent_id,
        position=_next_position(db_session, parent_id),
        created_at=now,
    )
    db_session.add(category)
    db_session.flush()
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_CATEGORY_ADDED,
        actor=actor,
        now=now,
        name=name_en,
        category_id=category.id,
    )
    return category


def rename_category(
    *,
    db_session: Session,
    category_id: int,
    name_de: str,
    name_en: str,
    actor: audit.Actor,
    now: datetime | None = None,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertCategory | None:
    """New names in both languages; None if unknown."""
    category = db_session.get(ExpertCategory, category_id)
    if category is None:
        return None
    name_de, name_en = _clean_names(name_de, name_en)
    before = (category.name_de, category.name_en)
    category.name_de, category.name_en = name_de, name_en
    db_session.flush()
    # Its experts are found by the new names (`rules`: the server's ranking settings).
    index.update_category(
        db_session=db_session, category_id=category.id, now=now or utcnow(), rules=rules
    )
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_CATEGORY_CHANGED,
        actor=actor,
        now=now or utcnow(),
        name=name_en,
        category_id=category.id,
        renamed_from=" / ".join(before),
    )
    return category


def move_category(
    *,
    db_session: Session,
    category_id: int,
    parent_id: int | None,
    actor: audit.Actor,
    now: datetime | None = None,
    rules: RankingRules = DEFAULT_RULES,
) -> ExpertCategory | None:
    """Under another top category (or to the top, `parent_id` None), last there; None if
    unknown. Profiles listed in it stay listed in it."""
    category = db_session.get(ExpertCategory, category_id)
    if category is None:
        return None
    if category.parent_id == parent_id:
        return category
    _check_parent(db_session, parent_id, moving=category)
    category.parent_id = parent_id
    category.position = _next_position(db_session, parent_id)
    db_session.flush()
    # Its experts are found under the new parent, no longer under the old one.
    index.update_category(
        db_session=db_session, category_id=category.id, now=now or utcnow(), rules=rules
    )
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_CATEGORY_CHANGED,
        actor=actor,
        now=now or utcnow(),
        name=category.name_en,
        category_id=category.id,
        moved_under=parent_id,
    )
    return category


def shift_category(
    *,
    db_session: Session,
    category_id: int,
    offset: int,
    actor: audit.Actor,
    now: datetime | None = None,
) -> ExpertCategory | None:
    """Moves it `offset` places among its siblings (-1: one up, 1: one down), stopping at
    either end; None if unknown."""
    category = db_session.get(ExpertCategory, category_id)
    if category is None:
        return None
    parent_filter = (
        ExpertCategory.parent_id.is_(None)
        if category.parent_id is None
        else ExpertCategory.parent_id == category.parent_id
    )
    siblings = list(
        db_session.scalars(
            select(ExpertCategory)
            .where(parent_filter)
            .order_by(ExpertCategory.position, ExpertCategory.id)
        )
    )
    index = siblings.index(category)
    target = max(0, min(len(siblings) - 1, index + offset))
    if target == index:
        return category
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    db_session.flush()
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_CATEGORY_CHANGED,
        actor=actor,
        now=now or utcnow(),
        name=category.name_en,
        category_id=category.id,
        position=target,
    )
    return category


def category_usage(*, db_session: Session, category_id: int) -> int:
    """How many profiles list the category, approved or waiting for approval."""
    approved = db_session.scalar(
        select(func.count()).where(ExpertProfileCategory.category_id == category_id)
    )
    waiting = db_session.scalar(
        select(func.count()).where(ExpertProfileDraftCategory.category_id == category_id)
    )
    return (approved or 0) + (waiting or 0)


def remove_category(
    *,
    db_session: Session,
    category_id: int,
    actor: audit.Actor,
    now: datetime | None = None,
) -> ExpertCategory | None:
    """Removes a category no profile uses and that has no sub-categories; None if unknown.
    Refused with CategoryInUse otherwise, and nothing is removed."""
    category = db_session.get(ExpertCategory, category_id)
    if category is None:
        return None
    if _has_children(db_session, category_id):
        raise CategoryInUse(
            problem(
                N_("“%(name)s” has sub-categories: remove or move them first."),
                name=Localized(category.name_de, category.name_en),
            )
        )
    used = category_usage(db_session=db_session, category_id=category_id)
    if used:
        raise CategoryInUse(
            problem(
                N_(
                    "“%(name)s” is chosen in expert profiles (%(count)s): "
                    "they must choose another category first."
                ),
                name=Localized(category.name_de, category.name_en),
                count=used,
            )
        )
    db_session.delete(category)
    db_session.flush()
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_CATEGORY_REMOVED,
        actor=actor,
        now=now or utcnow(),
        name=category.name_en,
        category_id=category_id,
    )
    return category
