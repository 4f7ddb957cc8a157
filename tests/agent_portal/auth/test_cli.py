"""`agent-portal create-staff` and `create-api-key` against the test database: the first
test runs the real program, the way an operator does (its password hashed at the product's
cost), the others run the commands inside the test's process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from agent_portal.auth import login, service
from agent_portal.auth.models import ApiKey
from agent_portal.database import utcnow
from agent_portal.unit_of_work import committed
from tests.support.portal_command import run_portal_command

POLICY = login.LoginPolicy(
    max_failures=5,
    max_failures_per_address=20,
    lock=timedelta(minutes=15),
    delay_per_failure=0,
    delay_cap=0,
    session_lifetime=timedelta(hours=1),
)


def agent_portal(settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": settings.database_url,
        "PORTAL_DATA_DIR": str(settings.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "agent_portal.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def can_log_in(database, username: str, password: str) -> bool:
    with database.session() as db_session:
        result = committed(login.authenticate)(  # as the login route commits it
            db_session=db_session,
            username=username,
            password=password,
            address="127.0.0.1",
            now=utcnow(),
            policy=POLICY,
        )
    return result.ok


@pytest.mark.subprocess  # runs `agent-portal create-staff`
@pytest.mark.sqlite_only  # the commands' effect on the database is tested on both below
def test_create_staff_reads_the_password_and_refuses_duplicates(settings, database):
    created = agent_portal(
        settings,
        *("create-staff", "--role", "expert", "--username", "Carla"),
        *("--display-name", "Carla Cortés"),
        stdin="first secret pass\n",
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Created expert carla."
    with database.session() as db_session:
        member = service.get_staff_by_username(db_session=db_session, username="carla")
        assert (member.role, member.display_name) == ("expert", "Carla Cortés")
    assert can_log_in(database, "carla", "first secret pass")

    duplicate = agent_portal(
        settings,
        *("create-staff", "--role", "admin", "--username", "carla"),
        stdin="second secret pass\n",
    )
    assert duplicate.returncode == 1
    assert "The user name carla is already taken. Nothing was created." in duplicate.stderr
    # The existing account is untouched: same role, same password.
    assert can_log_in(database, "carla", "first secret pass")
    with database.session() as db_session:
        assert service.get_staff_by_username(db_session=db_session, username="carla").role == (
            "expert"
        )


def test_create_staff_refuses_short_and_empty_passwords(settings, database):
    for password, message in [
        ("short\n", "The password is too short: it needs at least 10 characters."),
        ("", "The password is empty."),
    ]:
        result = run_portal_command(
            settings, "create-staff", "--role", "agent", "--username", "bert", stdin=password
        )
        assert result.returncode == 2
        assert message in result.stderr
    with database.session() as db_session:
        assert service.list_staff(db_session=db_session) == []


def test_create_api_key_prints_a_key_once_that_then_works(settings, database):
    result = run_portal_command(settings, "create-api-key", "--name", "billing system")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("isp_") and "\n" not in key
    assert "shown only now" in result.stderr and key not in result.stderr
    with database.session() as db_session:
        api_key = service.verify_api_key(db_session=db_session, key=key)
        assert api_key is not None and api_key.name == "billing system"
        assert db_session.query(ApiKey).filter(ApiKey.key_hash == key).count() == 0


def test_create_api_key_refuses_a_name_too_long_saying_the_limit(settings, database):
    result = run_portal_command(settings, "create-api-key", "--name", "b" * 300)
    assert result.returncode == 2
    assert result.stdout == ""  # no key to capture
    assert "The name is too long: at most 100 characters, not 300." in result.stderr
    assert "Nothing was created." in result.stderr
    with database.session() as db_session:
        assert service.list_api_keys(db_session=db_session) == []
