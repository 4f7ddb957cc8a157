"""The migrations create exactly the tables the auth models describe, on both databases, and
the retired login throttle hands its running locks over to the attempt limits."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from agent_portal.auth import login, models
from agent_portal.config import PortalSettings
from agent_portal.database import Base, make_engine, make_session_factory, utcnow
from agent_portal.migrate import alembic_config, upgrade_to_head

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


def test_a_running_login_lock_survives_the_move_to_the_attempt_limits(database_url):
    """Failed logins were counted in `login_throttles`; the migration that retires it moves
    its locks over, so upgrading the server ends no lock early (and downgrading neither)."""
    engine = make_engine(database_url)
    now = utcnow()
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "attempts@base")
        connection.execute(
            text(
                "INSERT INTO login_throttles (username, failures, window_started_at, locked_until)"
                " VALUES (:name, 5, :start, :until)"
            ),
            {"name": "anna", "start": now, "until": now + timedelta(minutes=10)},
        )
    upgrade_to_head(engine)
    assert "login_throttles" not in inspect(engine).get_table_names()
    with make_session_factory(engine)() as db_session:
        result = login.authenticate(
            db_session=db_session,
            username="anna",
            password="whatever it is",
            address="192.0.2.1",
            now=now + timedelta(minutes=1),
            policy=login.LoginPolicy.from_settings(PortalSettings(_env_file=None)),
        )
    assert result.locked_until == now + timedelta(minutes=10)

    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "attempts@base")
        rows = connection.execute(text("SELECT username, failures FROM login_throttles")).all()
    assert [tuple(row) for row in rows] == [("anna", 5)]
    upgrade_to_head(engine)
    engine.dispose()
