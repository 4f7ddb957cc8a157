"""The migration creates exactly the tables the auth models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from agent_portal.auth import models
from agent_portal.database import Base, make_engine

AUTH_TABLES = {"staff_members", "portal_sessions", "api_keys"}


def test_migration_matches_the_models(database_url):
    assert {table for table in Base.metadata.tables if table in AUTH_TABLES} == AUTH_TABLES
    assert models.StaffMember.__tablename__ in AUTH_TABLES
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    # Each difference names its table (in a tuple or a Table/Column repr).
    ours = [diff for diff in differences if any(table in repr(diff) for table in AUTH_TABLES)]
    assert ours == [], f"the migration and the auth models differ: {ours}"
