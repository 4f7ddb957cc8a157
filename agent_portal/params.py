"""Types of the path and query parameters the routes share.

`Id` is the one type of every id in a path or query (`/portal/chats/{conversation_id}`,
`?revoked=`), and of ids a form carries as text (`id_from_text`): a whole number from 1
to `MAX_ID`, checked where the request comes in. Ids
are INTEGER columns, and PostgreSQL's INTEGER is 32 bits (SQLite holds 64), so a larger
number cannot name a stored row: it is answered 422 with the bound, instead of reaching
the database driver, which fails on numbers wider than its column (a 500).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError

MAX_ID = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The number of a page of a list, from 1. Bounded like an id, so the row offset it makes
# stays within what both databases take.
PageNumber = Annotated[int, Field(ge=1, le=MAX_ID)]

_ID = TypeAdapter(Id)


def id_from_text(text: str) -> int | None:
    """An id a form field carries as text (e.g. "staff:12" → 12), or None when the text is
    not one: the same rules as an `Id` in a path."""
    try:
        return _ID.validate_strings(text)
    except ValidationError:
        return None
