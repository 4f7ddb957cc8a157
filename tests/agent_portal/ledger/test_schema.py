"""The database itself refuses to change or delete a written transfer or entry of the
ledger, on both databases. (That migration l001 builds what the ledger models describe:
`tests/agent_portal/test_migrations.py`.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from agent_portal.ledger import service

LEDGER_TABLES = {"ledger_accounts", "ledger_transfers", "ledger_entries", "ledger_holds"}
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entries SET amount = amount + 1",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_transfers SET amount = 1",
        "DELETE FROM ledger_transfers",
    ],
)
def test_written_transfers_and_entries_cannot_be_changed_or_deleted(ledger_sessions, statement):
    with ledger_sessions() as db_session:
        service.authorise(
            db_session=db_session,
            idempotency_key="a-1",
            customer_id=7,
            currency="CHF",
            amount=500,
            now=NOW,
            expires_in=timedelta(hours=1),
        )
        db_session.commit()
    with ledger_sessions() as db_session:
        with pytest.raises(DatabaseError, match="append-only"):
            db_session.execute(text(statement))
        db_session.rollback()
        assert db_session.execute(text("SELECT amount FROM ledger_entries")).scalars().all() == [
            500,
            500,
        ]
