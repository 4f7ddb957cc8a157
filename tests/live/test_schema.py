"""Migration 0004 creates exactly the tables the live channel's models describe, on both
databases, with the constraints that keep message numbers unique."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from agent_portal.database import Base, make_engine

LIVE_TABLES = {
    "live_connections",
    "agent_topics",
    "conversations",
    "chat_messages",
    "chat_attachments",
    "conversation_notes",
    "outbound_emails",
    "diagnostics_requests",
    "diagnostics_events",
    "diagnostics_reports",
}


def test_migration_matches_the_models(database_url):
    assert set(Base.metadata.tables) >= LIVE_TABLES
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        uniques = {
            item["name"]: item["column_names"]
            for item in inspect(connection).get_unique_constraints("chat_messages")
        }
    engine.dispose()
    ours = [diff for diff in differences if any(table in repr(diff) for table in LIVE_TABLES)]
    assert ours == [], f"migration 0004 and the live models differ: {ours}"
    assert uniques["uq_chat_messages_seq"] == ["conversation_id", "seq"]
    assert uniques["uq_chat_messages_client_msg_id"] == ["conversation_id", "client_msg_id"]
