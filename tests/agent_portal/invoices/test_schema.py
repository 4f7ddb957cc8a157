"""The invoices' migration (with the outbox's attachment) goes down and up again on both
databases. That it builds what the models describe: `tests/agent_portal/test_migrations.py`."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from agent_portal.database import make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "invoices@base")
    assert "invoices" not in inspect(engine).get_table_names()
    columns = {column["name"] for column in inspect(engine).get_columns("outbound_emails")}
    assert "attachment" not in columns
    upgrade_to_head(engine)
    assert {"invoices", "invoice_counters"} <= set(inspect(engine).get_table_names())
    engine.dispose()
