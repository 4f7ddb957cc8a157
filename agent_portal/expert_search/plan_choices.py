"""How a search reads its entries on SQLite, chosen by counting and kept for a while.

A word that many entries contain, or a big category, is asked of each entry while a group
is read in rank order; a rare word or a small category is read first as a whole
(`word_table`, `search._few_in_category`). Which of the two is decided by a short count,
and the decision is kept for `CHOICE_SECONDS` per database, question and process: the
counts change only as profiles are approved or changed, and a stale choice costs time,
never an expert found or missed. The count was a fifth of a short search's time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from sqlalchemy import Connection
from sqlalchemy.orm import Session

CHOICE_SECONDS = 60.0
_KEPT = 4096
_choices: dict[tuple, tuple[bool, float]] = {}  # (database, question) -> (answer, until)


def chosen(db_session: Session, question: Hashable, count: Callable[[Connection], bool]) -> bool:
    """`count`'s answer for `question` on this database, asked at most once in
    `CHOICE_SECONDS`."""
    connection = db_session.connection()
    key = (str(connection.engine.url), question)
    now = time.monotonic()
    answer, until = _choices.get(key, (False, now))
    if until > now:
        return answer
    answer = count(connection)
    if len(_choices) >= _KEPT:
        _choices.clear()
    _choices[key] = (answer, now + CHOICE_SECONDS)
    return answer
