"""Migration 0002 creates exactly the tables the customers models describe, on both
databases, with the indexes search relies on."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from agent_portal.database import Base, make_engine

CUSTOMER_TABLES = {"customers", "subscriptions", "devices"}


def test_migration_matches_the_models(database_url):
    assert set(Base.metadata.tables) >= CUSTOMER_TABLES
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        indexes = {
            index["name"]: (index["column_names"], bool(index["unique"]))
            for index in inspect(connection).get_indexes("customers")
        }
    engine.dispose()
    ours = [diff for diff in differences if any(t in repr(diff) for t in CUSTOMER_TABLES)]
    assert ours == [], f"migration 0002 and the customers models differ: {ours}"
    assert indexes["ix_customers_account_number"] == (["account_number"], True)
    assert indexes["ix_customers_name_search"] == (["name_search"], False)
    assert indexes["ix_customers_email"] == (["email"], False)
