"""On both databases (that the payouts' migration matches their model:
`tests/agent_portal/test_migrations.py`), the ledger's l002 lets
the database take transfers of kind `payout` and still refuse unknown kinds, and goes back
down to a ledger without them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from agent_portal.database import make_engine, make_session_factory
from agent_portal.ledger.models import Transfer
from agent_portal.migrate import alembic_config, upgrade_to_head


def _transfer(kind: str) -> Transfer:
    return Transfer(
        idempotency_key=f"k-{kind}",
        command_digest="0" * 64,
        kind=kind,
        currency="CHF",
        amount=100,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_the_database_takes_payouts_and_refuses_unknown_kinds(database_url):
    engine = make_engine(database_url)
    with make_session_factory(engine)() as db_session:
        db_session.add(_transfer("payout"))
        db_session.flush()
        db_session.add(_transfer("gift"))
        with pytest.raises(IntegrityError, match="(?i)check"):
            db_session.flush()
    engine.dispose()


def test_the_migrations_go_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "payouts@base")
        command.downgrade(alembic_config(engine, connection), "l001")
    assert "payouts" not in inspect(engine).get_table_names()
    with make_session_factory(engine)() as db_session:
        db_session.add(_transfer("payout"))
        with pytest.raises(IntegrityError, match="(?i)check"):
            db_session.flush()
    upgrade_to_head(engine)
    assert "payouts" in inspect(engine).get_table_names()
    with make_session_factory(engine)() as db_session:
        db_session.add(_transfer("payout"))
        db_session.flush()
    engine.dispose()
