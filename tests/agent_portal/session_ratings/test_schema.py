"""The ratings' migration goes down and up again on both databases (that it builds what
the models describe: `tests/agent_portal/test_migrations.py`); the database refuses stars
outside 1-5 and a second rating of the same side."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from agent_portal.database import make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head

TABLES = ("session_ratings", "session_rating_votes")


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "session_ratings@base")
    names = inspect(engine).get_table_names()
    assert not set(TABLES) & set(names) and "paid_sessions" in names
    upgrade_to_head(engine)
    assert set(TABLES) <= set(inspect(engine).get_table_names())
    engine.dispose()
