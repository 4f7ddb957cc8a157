"""Finding experts: full text over their names, categories (German and English), keywords
and texts, filters, and the order customers expect of a category list: online experts
first, then the others, each group by its ranking score (`agent_portal.experts.ranking`).

The query syntax and the engines are the knowledge base's (`agent_portal.fulltext`):
FTS5 on SQLite, to_tsquery on PostgreSQL, every word a prefix while it is being typed.
The index (`search_models.ExpertSearchEntry`) holds only findable profiles.

Pages go on by a cursor (keyset, never an offset): the group, the score and the profile
number of the last one shown. Presence is read by each page's statement; an expert who
comes online between two pages may be passed over on the later page. One statement per
page: the online group and the others, each limited by the rank index on its own.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import (
    Select,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Session

from agent_portal import fulltext
from agent_portal.experts.presence import ExpertStatus
from agent_portal.experts.search_models import (
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    ExpertSearchCategory,
    ExpertSearchEntry,
)
from agent_portal.realtime.models import LiveConnection
from agent_portal.realtime.presence import alive_since

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
        # "+ 0": not a column any more, so SQLite does not start from the category's
        # members (thousands of rows to sort for a top category) but reads the rank index
        # and stops at the page's end.
        statement = statement.where((Entry.profile_id + 0).in_(in_category))
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
    return select(Entry).join(table(FTS_TABLE), rowid == Entry.profile_id).where(matches)


def _matching_postgresql(expression: str) -> Select:
    vector = literal_column(f"{Entry.__tablename__}.{SEARCH_VECTOR_COLUMN}", TSVECTOR)
    queries = [func.to_tsquery(cast(config, REGCONFIG), expression) for config in _CONFIGS]
    return select(Entry).where(or_(*(vector.op("@@")(query) for query in queries)))


def _after(cursor: Cursor | None, online: bool):
    if cursor is None or cursor.online != online:
        return None
    return or_(
        Entry.score < cursor.score,
        and_(Entry.score == cursor.score, Entry.profile_id < cursor.profile_id),
    )


@dataclass(frozen=True)
class _Presence:
    """Who is online, as conditions inside the search's one statement: a staff member is
    online while a live tab had input within `away_after` (`realtime.presence`)."""

    alive: datetime
    active: datetime

    def online_staff(self) -> Select:
        return select(LiveConnection.staff_id).where(
            LiveConnection.staff_id.is_not(None),
            LiveConnection.seen_at >= self.alive,
            LiveConnection.last_activity_at > self.active,
        )

    def last_input(self):
        """The entry's staff member's last input in a live tab; None: no tab open."""
        return (
            select(func.max(LiveConnection.last_activity_at))
            .where(LiveConnection.staff_id == Entry.staff_id, LiveConnection.seen_at >= self.alive)
            .correlate(Entry)
            .scalar_subquery()
        )

    def status(self, last_input: datetime | None) -> ExpertStatus:
        if last_input is None:
            return ExpertStatus.offline
        if last_input.tzinfo is None:  # SQLite hands the aggregate back as it stored it
            last_input = last_input.replace(tzinfo=UTC)
        return ExpertStatus.online if last_input > self.active else ExpertStatus.away


def _group(base: Select, presence: _Presence, online: bool, cursor: Cursor | None, limit: int):
    """The group's best `limit` by rank: numbers and scores only, so that sorting many
    matches moves little; the entries themselves are read for the page alone."""
    online_staff = presence.online_staff()
    statement = base.with_only_columns(
        Entry.profile_id, Entry.score, literal(online).label("online")
    ).where(Entry.staff_id.in_(online_staff) if online else Entry.staff_id.not_in(online_staff))
    after = _after(cursor, online)
    if after is not None:
        statement = statement.where(after)
    # Both descending: the rank index read backwards, no sort where no other filter is.
    order = (Entry.score.desc(), Entry.profile_id.desc())
    return statement.order_by(*order).limit(limit).subquery()


def _page(
    db_session: Session,
    base: Select,
    filters: Filters,
    presence: _Presence,
    cursor: Cursor | None,
    limit: int,
) -> Page:
    """One statement: the online group's best `limit + 1` and the others' (each limited
    on its own), then their entries and presence, in the order shown."""
    base = _filtered(base, filters)
    groups = []
    if cursor is None or cursor.online:
        groups.append(_group(base, presence, True, cursor, limit + 1))
    if not filters.online_only:
        groups.append(_group(base, presence, False, cursor, limit + 1))
    parts = [select(*group.c) for group in groups]
    best = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    statement = (
        select(Entry, best.c.online, presence.last_input().label("last_input"))
        .join(best, best.c.profile_id == Entry.profile_id)
        .order_by(best.c.online.desc(), best.c.score.desc(), best.c.profile_id.desc())
        .limit(limit + 1)
    )
    rows = db_session.execute(statement).all()
    more = len(rows) > limit
    rows = rows[:limit]
    experts = [Found(entry, presence.status(last_input)) for entry, _online, last_input in rows]
    next_cursor = None
    if more and rows:
        last, online, _last_input = rows[-1]
        next_cursor = Cursor(bool(online), last.score, last.profile_id).encode()
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
    presence = _Presence(alive=alive_since(now), active=now - away_after)

    def page(base: Select) -> Page:
        return _page(db_session, base, filters, presence, cursor, limit)

    if not fulltext.clean_query(filters.query):
        return page(select(Entry))
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
