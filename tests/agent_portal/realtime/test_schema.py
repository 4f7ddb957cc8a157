"""Migration 0004 creates exactly the tables the live channel's models describe, on both
databases, with the constraints that keep message numbers unique; d001 turns the
diagnostics log's actors into kinds and names without losing an entry, and those names
come along when the log becomes the consent record (0006)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from agent_portal.config import PortalSettings
from agent_portal.database import Base, make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head
from tests.support.live import World

NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
LIVE_TABLES = {
    "live_connections",
    "agent_topics",
    "conversations",
    "chat_messages",
    "chat_attachments",
    "conversation_notes",
    "outbound_emails",
    "consent_requests",
    "consent_events",
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


def test_the_diagnostics_log_keeps_names_of_earlier_entries_and_only_known_actors(
    database_url, tmp_path
):
    """Entries logged before the log kept names read "staff:<user>" and "device:<id>"; after
    the migration they carry the agent's and the device's names."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "diagnostics_log@base")
    settings = PortalSettings(_env_file=None, database_url=database_url, data_dir=tmp_path)
    world = World(settings, tmp_path / "keys")
    customer = world.customer()
    device, _key = world.device(customer, name="Wohnzimmer-PC")
    world.staff("anna.berger", name="Anna Berger")
    world.close()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO diagnostics_requests (id, device_id, customer_id, "
                "requested_by_name, status, created_at, expires_at) "
                "VALUES ('r1', :device, :customer, 'Anna Berger', 'failed', :now, :now)"
            ),
            {"device": device.id, "customer": customer.id, "now": NOW},
        )
    with engine.begin() as connection:
        for actor in ("staff:anna.berger", f"device:{device.id}", "server", "staff:x", "device:y"):
            connection.execute(
                text(
                    "INSERT INTO diagnostics_events (request_id, event, actor, at) "
                    "VALUES ('r1', 'failed', :actor, :now)"
                ),
                {"actor": actor, "now": NOW},
            )
    upgrade_to_head(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT actor_kind, actor_name FROM consent_events ORDER BY id")
        ).all()
        assert [tuple(row) for row in rows] == [
            ("staff", "Anna Berger"),
            ("device", "Wohnzimmer-PC"),
            ("system", ""),
            ("staff", "x"),  # the account is gone: its user name stays
            ("device", "y"),
        ]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO consent_events (consent_id, event, actor_kind, actor_name, at) "
                "VALUES ('r1', 'ended', 'server', '', :now)"
            ),
            {"now": NOW},
        )
    engine.dispose()
