"""The experts' migration goes down and up again on both databases. That it builds what
the models describe: `tests/agent_portal/test_migrations.py`."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from agent_portal.database import Base, make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head

EXPERT_TABLES = {
    "expert_categories",
    "expert_profiles",
    "expert_profile_categories",
    "expert_profile_drafts",
    "expert_profile_draft_categories",
    "expert_photos",
    # The search index and the ratings (agent_portal.expert_search.models).
    "expert_search_entries",
    "expert_search_categories",
    "expert_ratings",
}


def include_name(name, _type, _parents) -> bool:
    # The search's full-text index differs by database and is not in the models;
    # migrations/env.py skips the same names.
    return name not in Base.metadata.info.get("hand_written", ())


def test_the_migration_goes_down_and_up_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "experts@base")
    assert not EXPERT_TABLES & set(inspect(engine).get_table_names())
    upgrade_to_head(engine)
    assert set(inspect(engine).get_table_names()) >= EXPERT_TABLES
    engine.dispose()
