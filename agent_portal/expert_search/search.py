"""Finding experts: full text over their names, categories (German and English), keywords
and texts, filters, and the order customers expect of a category list: online experts
first, then the others, each group by its ranking score (`agent_portal.expert_search.ranking`).

The query syntax and the engines are the knowledge base's (`agent_portal.fulltext`):
FTS5 on SQLite, to_tsquery on PostgreSQL, every word a prefix while it is being typed.
The index (`models.ExpertSearchEntry`) holds only findable profiles.

Pages go on by a cursor (keyset, never an offset): the group, the score and the profile
number of the last one shown. Who is online is asked of the database inside the search
(`presence.online_staff`), so a list is ordered without reading every expert's status;
an expert who comes online between two pages may be passed over on the later page, never
shown twice.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Session

from agent_portal import fulltext
from agent_portal.expert_search.models import (
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    ExpertSearchCategory,
    ExpertSearchEntry,
)
from agent_portal.expert_search.presence import ExpertStatus, online_staff, statuses

Entry = ExpertSearchEntry
_CONFIGS = ("simple", "german", "english")


@dataclass(frozen=True)
class Filters:
    query: str = ""
    category_id: int | None = None
    language: str | None = None
    # A price range in minor units, per minute (or per session: `price_per`). Experts
    # without a price of that kind are left out when a bound is given.
    min_price: int | None = None
    max_price: int | None = None
    price_per: Literal["minute", "session"] = "minute"
    online_only: bool = False


@dataclass(frozen=True)
class Cursor:
    online: bool
    score: float
    profile_id: int

    _FORMAT = "!?dq"

    def encode(self) -> str:
        packed = struct.pack(self._FORMAT, self.online, self.score, self.profile_id)
        return base64.urlsafe_b64encode(packed).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError for anything this module did not hand out."""
        try:
            packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            online, score, profile_id = struct.unpack(cls._FORMAT, packed)
        except (binascii.Error, struct.error, ValueError):
            raise ValueError("not a cursor of this search") from None
        return cls(online, score, profile_id)


@dataclass(frozen=True)
class Found:
    entry: ExpertSearchEntry
    status: ExpertStatus


@dataclass(frozen=True)
class Page:
    experts: list[Found]
    next_cursor: str | None


def _filtered(statement: Select, filters: Filters) -> Select:
    if filters.category_id is not None:
        in_category = select(ExpertSearchCategory.profile_id).where(
            ExpertSearchCategory.category_id == filters.category_id
        )
        statement = statement.where(Entry.profile_id.in_(in_category))
    if filters.language:
        statement = statement.where(Entry.languages.contains(f" {filters.language} "))
    price = Entry.price_per_minute if filters.price_per == "minute" else Entry.price_per_session
    if filters.min_price is not None:
        statement = statement.where(price >= filters.min_price)
    if filters.max_price is not None:
        statement = statement.where(price <= filters.max_price)
    return statement


def _matching_sqlite(text: str) -> Select | None:
    match = fulltext.fts5_match(FTS_TABLE, text)
    if match is None:
        return None
    rowid, matches = match
    return select(Entry.profile_id).join(table(FTS_TABLE), rowid == Entry.profile_id).where(matches)


def _matching_postgresql(expression: str) -> Select:
    vector = literal_column(f"{Entry.__tablename__}.{SEARCH_VECTOR_COLUMN}", TSVECTOR)
    queries = [func.to_tsquery(cast(config, REGCONFIG), expression) for config in _CONFIGS]
    return select(Entry.profile_id).where(or_(*(vector.op("@@")(query) for query in queries)))


def _after(cursor: Cursor, online) -> ColumnElement[bool]:
    """After the cursor in the order (online first, best score first, lowest number)."""
    return or_(
        online < int(cursor.online),
        and_(
            online == int(cursor.online),
            or_(
                Entry.score < cursor.score,
                and_(Entry.score == cursor.score, Entry.profile_id < cursor.profile_id),
            ),
        ),
    )


def _page(
    db_session: Session,
    base: Select,
    filters: Filters,
    online_staff: Select,
    cursor: Cursor | None,
    limit: int,
    now: datetime,
    away_after: timedelta,
) -> Page:
    """One query orders every match (the narrow columns only) and takes the page; the
    page's entries are loaded by number after."""
    is_online = Entry.staff_id.in_(online_staff)
    online = case((is_online, 1), else_=0)
    statement = _filtered(base, filters).add_columns(online, Entry.score)
    if filters.online_only:
        statement = statement.where(is_online)
    if cursor is not None:
        statement = statement.where(_after(cursor, online))
    # Ties go to the newer profile (docs/experts.md).
    statement = statement.order_by(online.desc(), Entry.score.desc(), Entry.profile_id.desc())
    rows = db_session.execute(statement.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [row[0] for row in rows]
    entries = (
        {
            entry.profile_id: entry
            for entry in db_session.scalars(select(Entry).where(Entry.profile_id.in_(ids)))
        }
        if ids
        else {}
    )
    found_statuses = statuses(
        db_session=db_session,
        staff_ids=[entry.staff_id for entry in entries.values()],
        now=now,
        away_after=away_after,
    )
    experts = [
        Found(entry, found_statuses.get(entry.staff_id, ExpertStatus.offline))
        for entry in (entries[profile_id] for profile_id in ids)
    ]
    next_cursor = None
    if more and rows:
        last_id, last_online, last_score = rows[-1]
        next_cursor = Cursor(bool(last_online), last_score, last_id).encode()
    return Page(experts, next_cursor)


def search_experts(
    *,
    db_session: Session,
    filters: Filters,
    now: datetime,
    away_after: timedelta,
    limit: int = 20,
    cursor: Cursor | None = None,
) -> Page:
    """Findable experts matching `filters`: online ones first, then the others, each group
    best ranked first. An empty query lists all; one of signs only finds nothing."""
    online_staff_ids = online_staff(now=now, away_after=away_after)

    def page(base: Select) -> Page:
        return _page(db_session, base, filters, online_staff_ids, cursor, limit, now, away_after)

    if not fulltext.clean_query(filters.query):
        return page(select(Entry.profile_id))
    if fulltext.dialect(db_session) == "sqlite":
        matching = _matching_sqlite(filters.query)
        return page(matching) if matching is not None else Page([], None)
    pages = fulltext.with_shorter_forms(
        filters.query,
        lambda expression: (
            [found] if (found := page(_matching_postgresql(expression))).experts else []
        ),
    )
    return pages[0] if pages else Page([], None)
