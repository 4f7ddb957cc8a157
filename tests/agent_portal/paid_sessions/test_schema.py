"""The paid sessions' migration goes down and up again on both databases (that it builds
what the model describes: `tests/agent_portal/test_migrations.py`); the database refuses
figures no session can have."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from agent_portal.database import make_engine, make_session_factory
from agent_portal.migrate import alembic_config, upgrade_to_head
from agent_portal.paid_sessions.models import PaidSession


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "paid_sessions@base")
    assert "paid_sessions" not in inspect(engine).get_table_names()
    upgrade_to_head(engine)
    assert "paid_sessions" in inspect(engine).get_table_names()
    engine.dispose()


@pytest.mark.parametrize(
    "figures",
    [{"waived": 500, "amount": 400}, {"amount": -1}, {"tip": -100}, {"price": 0}],
    ids=["waiver above the amount", "negative amount", "negative tip", "free per minute"],
)
def test_the_database_refuses_impossible_figures(database_url, figures):
    engine = make_engine(database_url)
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    session = {
        "conversation_id": 1,
        "customer_id": 1,
        "expert_staff_id": 1,
        "expert_profile_id": 1,
        "terms": "per_minute",
        "price": 150,
        "currency": "CHF",
        "billing_rule": "second",
        "status": "ended",
        "proposed_by": "expert",
        "created_at": now,
        **figures,
    }
    with make_session_factory(engine)() as db_session:
        db_session.add(PaidSession(**session))
        with pytest.raises(IntegrityError, match="(?i)check"):
            db_session.flush()
    engine.dispose()
