"""Finding experts: full text over their names, categories (German and English), keywords
and texts, filters, and the order customers expect of a category list: online experts
first, then the others, each group by its ranking score (`agent_portal.expert_search.ranking`).

The query syntax and the engines are the knowledge base's (`agent_portal.fulltext`):
FTS5 on SQLite, to_tsquery on PostgreSQL, every word a prefix while it is being typed.
The index (`models.ExpertSearchEntry`) holds only findable profiles. On SQLite a query of
word beginnings that many entries match is asked of each entry instead (`word_table`).

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
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Session

from agent_portal import fulltext
from agent_portal.database import utcnow
from agent_portal.expert_search import plan_choices, word_table
from agent_portal.expert_search.models import (
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    ExpertSearchCategory,
    ExpertSearchEntry,
)
from agent_portal.expert_search.presence import (
    ExpertStatus,
    online_staff,
    online_staff_params,
    statuses,
)
from agent_portal.experts.models import ExpertCategory, ExpertProfileCategory

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


@dataclass(frozen=True, slots=True)
class ListedCategory:
    """One of the profile's own categories (at most three, in its order), in both
    languages: the page's reader picks one (`finder.results`)."""

    id: int
    name_de: str
    name_en: str
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class Listed:
    """What a page shows of an entry: its columns of these names (`ExpertSearchEntry`), read
    as plain values, without an ORM object or the searched texts of each expert found."""

    profile_id: int
    staff_id: int
    display_name: str
    slogan: str
    languages: str
    price_per_minute: int | None
    price_per_session: int | None
    currency: str
    rating_count: int
    # As the page was ordered by it, and as the cursor carries it.
    score: float
    categories: tuple[ListedCategory, ...]


# The entry's columns of `Listed`, in its order; the score and categories are the page's.
_LISTED_COLUMNS = tuple(Entry.__table__.c[field.name] for field in fields(Listed)[:-2])
_CATEGORY_COLUMNS = (
    ExpertCategory.id,
    ExpertCategory.name_de,
    ExpertCategory.name_en,
    ExpertCategory.parent_id,
)


@dataclass(frozen=True)
class Found:
    entry: Listed
    status: ExpertStatus


@dataclass(frozen=True)
class Page:
    experts: list[Found]
    next_cursor: str | None


def _listed_in(subquery: Select) -> ColumnElement[bool]:
    """The entry is one of `subquery`'s profile ids (a word's matches; a category's
    profiles on PostgreSQL). Asked of each entry while a group is read in the rank
    index's order: on the bare column SQLite would rather read the whole set first (every
    match of "ze", every expert of a top category) and sort all of it; an expression on
    it (`+ 0`) keeps the order's index in charge on both databases."""
    return (Entry.profile_id + literal_column("0")).in_(subquery)


@dataclass(frozen=True)
class _Shape:
    """What a search's statement looks like; its values are parameters. A statement is
    built once per shape (a few hundred at most), as building one costs more than
    running it."""

    dialect: str
    words: bool
    category: bool
    # SQLite: the category has fewer than `FEW_IN_CATEGORY` entries (`_few_in_category`).
    few_in_category: bool
    # SQLite: how many word beginnings are asked of each entry (`word_table.beginnings`); 0
    # when the words are listed by FTS5 first.
    walked_words: int
    language: bool
    min_price: bool
    max_price: bool
    price_per: str
    online_only: bool
    # None on the first page, else the cursor's group (online or not).
    after_online: bool | None


def _fts_matches() -> Select:
    """The profile numbers matching the words, from SQLite's FTS5 table."""
    matching = literal_column(FTS_TABLE).op("MATCH")(bindparam("words"))
    rowid = literal_column(f"{FTS_TABLE}.rowid")
    return select(rowid.label("profile_id")).select_from(table(FTS_TABLE)).where(matching)


# On SQLite a category of fewer entries than this is read whole (`_category_condition`).
# A page of 20 passes over about 20 * entries / size of the rank index to find 20 of a
# category; at 10,000 entries that is as many as the category has at some 450.
FEW_IN_CATEGORY = 500

_IN_CATEGORY = select(ExpertSearchCategory.profile_id).where(
    ExpertSearchCategory.category_id == bindparam("category_id")
)
# How many entries the category has, counted up to `few` (an index range of that length).
_CATEGORY_SIZE = select(func.count()).select_from(_IN_CATEGORY.limit(bindparam("few")).subquery())


def _few_in_category(db_session: Session, category_id: int) -> bool:
    """Whether the category has fewer than `FEW_IN_CATEGORY` entries, to choose how the
    page's statement reads it (SQLite). A count that stops there: a range of the primary
    key of at most that length, far cheaper than the wrong choice, and kept for a while
    (`plan_choices`)."""

    def count(connection: Connection) -> bool:
        found = connection.execute(
            _CATEGORY_SIZE, {"category_id": category_id, "few": FEW_IN_CATEGORY}
        )
        return found.scalar_one() < FEW_IN_CATEGORY

    question = ("few in category", category_id, FEW_IN_CATEGORY)
    return plan_choices.chosen(db_session, question, count)


def _category_condition(shape: _Shape) -> ColumnElement[bool]:
    """The entry is listed under the category (`expert_search_categories`).

    On PostgreSQL a set of profile numbers, as the words (`_listed_in`). SQLite would
    copy such a set into a list of its own first, once per group: some 3,000 profiles for
    a top category, twice, most of a category list's work, where a page passes over a few
    hundred entries at most. So there a big category is asked of each entry passed over
    on its own (one look into the primary key (category, profile)), and a small one is
    the other way round: its few entries are looked up and sorted, as walking the rank
    index past all the entries outside it would cost more."""
    if shape.dialect != "sqlite":
        return _listed_in(_IN_CATEGORY)
    if shape.few_in_category:
        return Entry.profile_id.in_(_IN_CATEGORY)
    listed = ExpertSearchCategory
    return (
        select(literal_column("1"))
        .where(
            listed.category_id == bindparam("category_id"),
            listed.profile_id == Entry.profile_id,
        )
        .exists()
    )


def _conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """What a shape asks of an entry besides its group; on SQLite the words first."""
    conditions = []
    if shape.walked_words:
        conditions += [word_table.has_word(index) for index in range(shape.walked_words)]
    elif shape.words and shape.dialect == "sqlite":
        # Listed by FTS5 once for both groups (a word of fewer matches: `word_table`); asked
        # of each group's entries as a set, each group choosing its way round.
        matches = _fts_matches().cte("word_matches").prefix_with("MATERIALIZED")
        conditions.append(_listed_in(select(matches.c.profile_id)))
    elif shape.words:
        vector = literal_column(f"{Entry.__tablename__}.{SEARCH_VECTOR_COLUMN}", TSVECTOR)
        words = bindparam("words", type_=String)
        queries = [func.to_tsquery(cast(config, REGCONFIG), words) for config in _CONFIGS]
        conditions.append(or_(*(vector.op("@@")(query) for query in queries)))
    if shape.category:
        conditions.append(_category_condition(shape))
    if shape.language:
        conditions.append(Entry.languages.contains(bindparam("language", type_=String)))
    price = Entry.price_per_minute if shape.price_per == "minute" else Entry.price_per_session
    if shape.min_price:
        conditions.append(price >= bindparam("min_price"))
    if shape.max_price:
        conditions.append(price <= bindparam("max_price"))
    return conditions


def _group(
    online: bool, in_group: ColumnElement[bool], conditions: list, shape: _Shape, size
) -> Select:
    """One group's best matches (online or not), read in the rank index's order (score,
    number: `models.RANK_INDEX`), after the cursor when it points into this group."""
    statement = select(
        Entry.profile_id, literal_column(str(int(online))).label("online"), Entry.score
    ).where(in_group, *conditions)
    if shape.after_online is online:
        score, profile_id = bindparam("after_score"), bindparam("after_id")
        statement = statement.where(
            Entry.score <= score,
            or_(Entry.score < score, and_(Entry.score == score, Entry.profile_id < profile_id)),
        )
    return statement.order_by(Entry.score.desc(), Entry.profile_id.desc()).limit(size)


def _statement(shape: _Shape) -> Select | None:
    """A page's statement: the best of the online experts and the best of the others, each
    group read in rank order and stopped at the page's size, so no search sorts all of its
    matches; then those entries, online first. None when the shape finds nobody."""
    conditions = _conditions(shape)
    # Built at any moment: the times are parameters (`presence.online_staff_params`).
    online_ids = online_staff(now=utcnow(), away_after=timedelta(0)).cte("online_staff")
    # Both groups ask the same set: the database works it out once.
    online_ids = online_ids.prefix_with("MATERIALIZED")
    is_online = Entry.staff_id.in_(select(online_ids.c.staff_id))
    size = bindparam("page_size")
    groups = []
    if shape.after_online is not False and shape.walked_words:
        # The online experts in rank order, each asked for the words: `+ 0` keeps SQLite
        # from reading every online expert's entry by the staff index and sorting them.
        online = (Entry.staff_id + literal_column("0")).in_(select(online_ids.c.staff_id))
        groups.append(_group(True, online, conditions, shape, size))
    elif shape.after_online is not False:
        groups.append(_group(True, is_online, conditions, shape, size))
    if not shape.online_only:
        groups.append(_group(False, ~is_online, conditions, shape, size))
    if not groups:
        return None
    if len(groups) == 1:
        page = groups[0].subquery()
    else:
        both = union_all(*(select(group.subquery()) for group in groups)).subquery()
        page = (
            select(both)
            .order_by(both.c.online.desc(), both.c.score.desc(), both.c.profile_id.desc())
            .limit(size)
            .subquery()
        )
    # Only what a page shows (`Listed`), not the searched texts; the score as ordered, for
    # the cursor; a row per category of the profile's own, in its order: in the same
    # statement, as another for the names would cost a round trip to the database.
    entries = Entry.__table__
    return (
        select(*_LISTED_COLUMNS, page.c.online, page.c.score, *_CATEGORY_COLUMNS)
        .join(page, page.c.profile_id == entries.c.profile_id)
        .outerjoin(ExpertProfileCategory, ExpertProfileCategory.profile_id == entries.c.profile_id)
        .outerjoin(ExpertCategory, ExpertCategory.id == ExpertProfileCategory.category_id)
        .order_by(
            page.c.online.desc(),
            page.c.score.desc(),
            page.c.profile_id.desc(),
            ExpertProfileCategory.position,
        )
    )


def _listed(rows: Sequence[tuple]) -> list[tuple[Listed, bool]]:
    """The page's entries in order, each with whether it is online, from the statement's
    rows: one per category of the profile's own (`_statement`), or one without any."""
    width = len(_LISTED_COLUMNS)
    firsts: list[tuple] = []
    categories: dict[int, list[ListedCategory]] = {}
    for row in rows:
        profile_id = row[0]
        if profile_id not in categories:
            categories[profile_id] = []
            firsts.append(row)
        if row[width + 2] is not None:
            categories[profile_id].append(ListedCategory(*row[width + 2 :]))
    return [
        (Listed(*row[:width], row[width + 1], tuple(categories[row[0]])), bool(row[width]))
        for row in firsts
    ]


_STATEMENTS: dict[_Shape, Select | None] = {}


def _page(
    db_session: Session,
    words: str | None,
    filters: Filters,
    cursor: Cursor | None,
    limit: int,
    now: datetime,
    away_after: timedelta,
    beginnings: Sequence[str] = (),
) -> Page:
    """One statement takes the page's entries (`_statement`) and tells who of them is
    online; then the statuses of the others. `beginnings`: on SQLite, the words asked of
    each entry instead of FTS5's `words` (`word_table.beginnings`)."""
    dialect = fulltext.dialect(db_session)
    shape = _Shape(
        dialect=dialect,
        words=words is not None,
        category=filters.category_id is not None,
        # Only how the statement reads the category; it finds the same either way.
        few_in_category=(
            filters.category_id is not None
            and dialect == "sqlite"
            and _few_in_category(db_session, filters.category_id)
        ),
        walked_words=len(beginnings),
        language=bool(filters.language),
        min_price=filters.min_price is not None,
        max_price=filters.max_price is not None,
        price_per=filters.price_per,
        online_only=filters.online_only,
        after_online=cursor.online if cursor is not None else None,
    )
    if shape not in _STATEMENTS:
        _STATEMENTS[shape] = _statement(shape)
    statement = _STATEMENTS[shape]
    if statement is None:
        return Page([], None)
    params = {
        "page_size": limit + 1,
        "words": words,
        "category_id": filters.category_id,
        "language": f" {filters.language} ",
        "min_price": filters.min_price,
        "max_price": filters.max_price,
        **online_staff_params(now=now, away_after=away_after),
    }
    params.update(word_table.range_params(beginnings))
    if cursor is not None:
        params.update(after_score=cursor.score, after_id=cursor.profile_id)
    everyone = _listed(_execute_rows(db_session, statement, params))
    listed = everyone[:limit]
    # The online group is online by the desk's own rule (`online_staff` is what `statuses`
    # calls online, as a query), asked in the same statement: only the others' statuses
    # (away, busy or offline) are asked.
    others = [entry.staff_id for entry, online in listed if not online]
    found_statuses = (
        statuses(db_session=db_session, staff_ids=others, now=now, away_after=away_after)
        if others
        else {}
    )
    experts = [
        Found(
            entry,
            ExpertStatus.online
            if online
            else found_statuses.get(entry.staff_id, ExpertStatus.offline),
        )
        for entry, online in listed
    ]
    next_cursor = None
    if len(everyone) > limit and listed:
        last, last_online = listed[-1]
        next_cursor = Cursor(last_online, last.score, last.profile_id).encode()
    return Page(experts, next_cursor)


def _execute_rows(db_session: Session, statement: Select, params: dict) -> list[tuple]:
    """The rows of a statement of table columns, run on the session's connection: plain
    tuples, without the ORM's handling of a result (no entity is read). The session's
    pending changes are flushed first, as its own `execute` would."""
    if db_session.autoflush:
        db_session.flush()
    return db_session.connection().execute(statement, params).all()


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

    def page(words: str | None, beginnings: Sequence[str] = ()) -> Page:
        return _page(db_session, words, filters, cursor, limit, now, away_after, beginnings)

    if not fulltext.clean_query(filters.query):
        return page(None)
    if fulltext.dialect(db_session) == "sqlite":
        match = fulltext.fts5_query(filters.query)
        if match is None:
            return Page([], None)
        return page(match, word_table.beginnings(db_session, filters.query, match))
    pages = fulltext.with_shorter_forms(
        filters.query,
        lambda expression: [found] if (found := page(expression)).experts else [],
    )
    return pages[0] if pages else Page([], None)
