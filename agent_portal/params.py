"""Types of the path and query parameters the routes share.

`Id` is the one type of every id in a path or query (`/portal/chats/{conversation_id}`),
and of ids a form carries as text (`id_from_text`): a whole number from 1
to `MAX_ID`, checked where the request comes in. Ids are INTEGER columns, and
PostgreSQL's INTEGER is 32 bits (SQLite holds 64), so a larger number cannot name a stored
row: it is answered 422 with the bound, instead of reaching the database driver, which
fails on numbers wider than its column (a 500).

`AccountNumber` is a customer's account number in a path.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field, TypeAdapter, ValidationError

from agent_portal.customers.schemas import ACCOUNT_NUMBER_RULE

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


# The stored form (`customers.schemas`) in either case; the route gets it upper-cased. The
# description states the rule as a pattern, and a number that breaks it is a 422 that says
# the rule in words.
ACCOUNT_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{2,18}[A-Za-z0-9]$"


def _stored_account_number(value: str) -> str:
    if not re.fullmatch(ACCOUNT_NUMBER_PATTERN.strip("^$"), value):
        raise ValueError(f"{value!r} is not a valid account number: {ACCOUNT_NUMBER_RULE}")
    return value.upper()


AccountNumber = Annotated[
    str,
    AfterValidator(_stored_account_number),
    Path(description=ACCOUNT_NUMBER_RULE, json_schema_extra={"pattern": ACCOUNT_NUMBER_PATTERN}),
]
