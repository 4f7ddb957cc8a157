"""Numbers without gaps: `<year>-<000123>`, counted per series and year.

The counter row is made when a year's first number is taken and incremented by one
`UPDATE ... RETURNING` in the issuing transaction. On PostgreSQL the UPDATE locks the row
until that transaction ends: a second issue waits and then reads the committed count, so
two issues never share a number; a rolled-back issue rolls its increment back, so none is
skipped. SQLite lets one writer in at a time, with the same outcome.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from agent_portal.database import insert_if_missing
from agent_portal.invoices.models import SERIES, InvoiceCounter

DIGITS = 6


def take(*, db_session: Session, series: str, year: int) -> str:
    """The next number of the series in that year, taken for the caller's transaction."""
    if series not in SERIES:
        raise ValueError(f"no series {series!r}")
    insert_if_missing(
        db_session, InvoiceCounter, ["series", "year"], series=series, year=year, last_number=0
    )
    taken = db_session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.series == series, InvoiceCounter.year == year)
        .values(last_number=InvoiceCounter.last_number + 1)
        .returning(InvoiceCounter.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return f"{year}-{taken:0{DIGITS}d}"
