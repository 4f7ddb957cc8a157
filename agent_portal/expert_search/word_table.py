"""SQLite: word beginnings asked of each entry, for words that many experts' texts contain.

FTS5 gives a word's matches as one list; the search then reads each group (online experts,
the others) in rank order and looks each entry up in that list. For a beginning that half
of the entries contain ("ze", "netzw"), making the list is most of the search's work,
while a page needs only its first twenty. So when the query is nothing but such beginnings
(`fulltext.fts5_plain_prefixes`) and at least one entry in `MANY_MATCHES_ONE_IN` matches
each of them (a quarter: below that, walking past the entries that do not match costs
more than the list; the count is kept for a while, `plan_choices`), each entry the
search passes over is asked whether it has a word from each beginning: one look into the
primary key (profile, word) of `expert_search_terms`, which triggers keep with FTS5's own
words (migration e102). A page of 20 then passes over some 80 entries for one word (more
for two, as fewer entries have both), and the online group over as many for each online
expert; a rarer word is listed by FTS5 as before. Both ways find the same experts in the
same order.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    ColumnElement,
    Connection,
    bindparam,
    column,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from agent_portal import fulltext
from agent_portal.expert_search import plan_choices
from agent_portal.expert_search.models import FTS_TABLE, TERMS_TABLE, ExpertSearchEntry

MANY_MATCHES_ONE_IN = 4
# Whether one entry in `one_in` matches: counted by FTS5, and only up to that many.
_MATCHES_ENOUGH = text(
    f"WITH enough AS (SELECT max(1, count(*) / :one_in) AS n "
    f"FROM {ExpertSearchEntry.__tablename__}) "
    "SELECT count(*) >= (SELECT n FROM enough) FROM "
    f"(SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :words LIMIT (SELECT n FROM enough))"
)
_TERMS = table(TERMS_TABLE, column("profile_id"), column("term"))


def beginnings(db_session: Session, query: str, match: str) -> list[str]:
    """The word beginnings to ask of each entry, when `query` is only such beginnings and
    many entries match its FTS5 query `match`; else none (FTS5 lists the matches).

    Of several beginnings each is counted alone, not their combination: FTS5 reads every
    word's whole match list before it combines them, so when each has many, listing is
    the dear way whatever the combination leaves; and words come again in other
    combinations, so their counts are kept where a combination's would rarely be asked
    again (the count was a third of a two-word search)."""
    prefixes = fulltext.fts5_plain_prefixes(query)
    if not prefixes:
        return []
    if len(prefixes) == 1:
        return prefixes if _many_match(db_session, match) else []
    # Each as `fts5_query` writes a query of that one beginning (plain letters and digits).
    each = (_many_match(db_session, f'("{prefix}"*)') for prefix in prefixes)
    return prefixes if all(each) else []


def _many_match(db_session: Session, match: str) -> bool:
    def count(connection: Connection) -> bool:
        found = connection.execute(_MATCHES_ENOUGH, {"words": match, "one_in": MANY_MATCHES_ONE_IN})
        return bool(found.scalar_one())

    return plan_choices.chosen(db_session, ("words", match, MANY_MATCHES_ONE_IN), count)


def has_word(index: int) -> ColumnElement[bool]:
    """The entry has a word from `word_from_<index>` up to `word_to_<index>`
    (`range_params`)."""
    return (
        select(literal_column("1"))
        .where(
            _TERMS.c.profile_id == ExpertSearchEntry.profile_id,
            _TERMS.c.term >= bindparam(f"word_from_{index}"),
            _TERMS.c.term < bindparam(f"word_to_{index}"),
        )
        .exists()
    )


def range_params(prefixes: Sequence[str]) -> dict[str, str]:
    params = {}
    for index, prefix in enumerate(prefixes):
        params[f"word_from_{index}"], params[f"word_to_{index}"] = fulltext.prefix_range(prefix)
    return params
