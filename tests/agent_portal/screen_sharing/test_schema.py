"""Screen sharing's migration goes down and up again on both databases. That it builds
what the model describes: `tests/agent_portal/test_migrations.py`."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from agent_portal.database import make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "screen_sharing@base")
    assert "screen_views" not in inspect(engine).get_table_names()
    upgrade_to_head(engine)
    assert "screen_views" in inspect(engine).get_table_names()
    engine.dispose()
