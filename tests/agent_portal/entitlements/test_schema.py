"""Migrations 0003 and r001 create exactly the tables the premium models describe, on both
databases, with the constraints that keep codes and tickets single and the audit log
findable."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from agent_portal.database import Base, make_engine

PREMIUM_TABLES = {
    "attempt_throttles",
    "audit_entries",
    "customer_credentials",
    "activation_codes",
    "device_secrets",
    "unlock_codes",
    "offline_codes",
    "release_tickets",
}


def test_migration_matches_the_models(database_url):
    assert set(Base.metadata.tables) >= PREMIUM_TABLES
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        inspector = inspect(connection)
        audit_indexes = {index["name"] for index in inspector.get_indexes("audit_entries")}
        offline_unique = inspector.get_unique_constraints("offline_codes")
        ticket_unique = inspector.get_unique_constraints("release_tickets")
    engine.dispose()
    ours = [diff for diff in differences if any(t in repr(diff) for t in PREMIUM_TABLES)]
    assert ours == [], f"the premium migrations and models differ: {ours}"
    assert {"ix_audit_entries_occurred_at", "ix_audit_entries_customer_id"} <= audit_indexes
    assert [c["column_names"] for c in offline_unique] == [["device_id", "time_step"]]
    assert [c["column_names"] for c in ticket_unique] == [["ticket_hash"]]
