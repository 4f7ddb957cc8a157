"""The appointments' migration creates exactly what their models describe (the table and
the outbox's calendar column), on both databases, and takes it away again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from agent_portal.database import Base, make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head


def test_migration_matches_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    ours = [
        diff for diff in differences if "appointments" in repr(diff) or "'calendar'" in repr(diff)
    ]
    assert ours == [], f"the migration and the appointments' models differ: {ours}"


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "appointments@base")
    assert "appointments" not in inspect(engine).get_table_names()
    assert "calendar" not in {c["name"] for c in inspect(engine).get_columns("outbound_emails")}
    upgrade_to_head(engine)
    assert "appointments" in inspect(engine).get_table_names()
    assert "calendar" in {c["name"] for c in inspect(engine).get_columns("outbound_emails")}
    engine.dispose()
