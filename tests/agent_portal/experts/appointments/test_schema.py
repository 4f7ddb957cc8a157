"""The appointments' migration (the table and the outbox's calendar column) goes down and
up again on both databases. That it builds what the models describe:
`tests/agent_portal/test_migrations.py`."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from agent_portal.database import make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head


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


def test_the_expert_s_time_zone_comes_and_goes_with_its_revision(database_url):
    """c002 adds the profile's time zone and takes it away again; profiles stay."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "c001")
    columns = {c["name"] for c in inspect(engine).get_columns("expert_profiles")}
    assert "time_zone" not in columns and "display_name" in columns
    upgrade_to_head(engine)
    assert "time_zone" in {c["name"] for c in inspect(engine).get_columns("expert_profiles")}
    engine.dispose()
