"""Billing's migration goes down and up again on both databases (that it builds what the
models describe: `tests/agent_portal/test_migrations.py`); the database refuses a line
whose sign does not fit its kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from agent_portal.billing.models import BillingCharge
from agent_portal.database import make_engine, make_session_factory
from agent_portal.migrate import alembic_config, upgrade_to_head


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "billing@base")
    assert "billing_charges" not in inspect(engine).get_table_names()
    upgrade_to_head(engine)
    assert {"billing_charges", "billing_feed"} <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize(
    ("kind", "amount"),
    [("refund", 500), ("charge", -500), ("tip", 0)],
    ids=["positive refund", "negative charge", "zero tip"],
)
def test_the_database_refuses_a_sign_that_does_not_fit(database_url, kind, amount):
    engine = make_engine(database_url)
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    line = BillingCharge(
        position=1,
        transfer_id=1,
        paid_session_id=1,
        customer_id=1,
        kind=kind,
        amount=amount,
        currency="CHF",
        description="Expert help",
        occurred_at=now,
        collected_at=now,
    )
    with make_session_factory(engine)() as db_session:
        db_session.add(line)
        with pytest.raises(IntegrityError, match="(?i)check"):
            db_session.flush()
    engine.dispose()
