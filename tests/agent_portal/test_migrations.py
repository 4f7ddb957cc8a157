"""The migrations build exactly the schema the models describe, on both databases: every
table, column, type, index and constraint of every domain, so a model changed without its
migration (or the other way round) fails here. Only what a domain writes by hand and keeps
out of its models on purpose (the full-text indexes, which differ by database) is left
out, as Alembic's autogenerate leaves it out (`migrations/env.py`)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import agent_portal.models  # noqa: F401  (registers every table on the metadata)
from agent_portal.database import Base, make_engine


def not_hand_written(name, _type, _parent_names) -> bool:
    return name not in Base.metadata.info.get("hand_written", ())


def test_the_migrated_database_matches_every_model(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        options = {"compare_type": True, "include_name": not_hand_written}
        differences = compare_metadata(
            MigrationContext.configure(connection, opts=options), Base.metadata
        )
    engine.dispose()
    assert differences == [], f"the migrations and the models differ: {differences}"
