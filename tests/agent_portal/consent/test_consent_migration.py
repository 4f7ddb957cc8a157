"""Migration 0006 turns the diagnostics requests and their log into consents of the kind
report and their record, on both databases: every request, every logged step with its time
and actor, and every stored report come along, and read as the portal has always shown
them; taken back, the requests and their log are as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import text

from agent_portal.config import PortalSettings
from agent_portal.consent import service as consent
from agent_portal.database import UTCDateTime, make_engine
from agent_portal.migrate import alembic_config, upgrade_to_head
from agent_portal.remote_diagnostics import service as diagnostics
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from tests.support.live import World

ASKED = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ANSWERED = ASKED + timedelta(seconds=20)
LATER = ASKED + timedelta(minutes=10)
# Each old status with the log it had: (event, actor kind, actor name, at).
OLD = {
    "pending": [],
    "allowed": [("allowed", "device", "Wohnzimmer-PC", ANSWERED)],
    "declined": [("declined", "device", "Wohnzimmer-PC", ANSWERED)],
    "expired": [("expired", "system", "", LATER)],
    "completed": [
        ("allowed", "device", "Wohnzimmer-PC", ANSWERED),
        ("report_received", "device", "Wohnzimmer-PC", LATER),
    ],
    "failed": [
        ("allowed", "device", "Wohnzimmer-PC", ANSWERED),
        ("failed", "system", "", LATER),
    ],
}
ASKED_STEP = ("requested", "staff", "Anna Berger", ASKED)


REQUEST_COLUMNS = (
    "id, device_id, customer_id, requested_by_id, requested_by_name, status, created_at, "
    "expires_at, answered_at, completed_at"
)


def old_history(connection) -> tuple[list[tuple], list[tuple]]:
    """The requests, and their log without its row numbers (taken back, it is renumbered)."""
    times = {name: UTCDateTime() for name in ("created_at", "expires_at", "answered_at")}
    requests = connection.execute(
        text(f"SELECT {REQUEST_COLUMNS} FROM diagnostics_requests ORDER BY id").columns(
            completed_at=UTCDateTime(), **times
        )
    )
    log = connection.execute(
        text(
            "SELECT request_id, event, actor_kind, actor_name, at FROM diagnostics_events "
            "ORDER BY id"
        ).columns(at=UTCDateTime())
    )
    return [tuple(row) for row in requests], [tuple(row) for row in log]


def write_old_history(engine, device_id: str, customer_id: int, staff_id: int) -> None:
    """What the portal stored before consents existed, written as it wrote it."""
    with engine.begin() as connection:
        for status, log in OLD.items():
            answered = ANSWERED if status not in ("pending", "expired") else None
            connection.execute(
                text(
                    "INSERT INTO diagnostics_requests (id, device_id, customer_id, "
                    "requested_by_id, requested_by_name, status, created_at, expires_at, "
                    "answered_at, completed_at) VALUES (:id, :device, :customer, :staff, "
                    "'Anna Berger', :status, :asked, :answer_by, :answered, :completed)"
                ),
                {
                    "id": f"req-{status}",
                    "device": device_id,
                    "customer": customer_id,
                    "staff": staff_id,
                    "status": status,
                    "asked": ASKED,
                    "answer_by": ASKED + timedelta(seconds=120),
                    "answered": answered,
                    "completed": LATER if status == "completed" else None,
                },
            )
            for event, kind, name, at in [ASKED_STEP, *log]:
                connection.execute(
                    text(
                        "INSERT INTO diagnostics_events (request_id, event, actor_kind, "
                        "actor_name, at) VALUES (:id, :event, :kind, :name, :at)"
                    ),
                    {"id": f"req-{status}", "event": event, "kind": kind, "name": name, "at": at},
                )
        connection.execute(
            text(
                "INSERT INTO diagnostics_reports (request_id, device_id, customer_id, "
                "report_uuid, severity, received_at, report_json) VALUES ('req-completed', "
                ":device, :customer, 'a1b2', 'warning', :at, '{\"kept\": true}')"
            ),
            {"device": device_id, "customer": customer_id, "at": LATER},
        )


def test_every_diagnostics_request_its_log_and_its_report_survive_the_move_to_consent(
    database_url, tmp_path
):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "0005")
    world = World(
        PortalSettings(_env_file=None, database_url=database_url, data_dir=tmp_path),
        tmp_path / "keys",
    )
    customer = world.customer()
    device, _key = world.device(customer, name="Wohnzimmer-PC")
    staff = world.staff("anna.berger", name="Anna Berger")
    write_old_history(engine, device.id, customer.id, staff.id)
    with engine.connect() as connection:
        before = old_history(connection)

    upgrade_to_head(engine)

    with world.session() as db_session:
        # Read while the open ones are still open: each says what it said before.
        now = ANSWERED + timedelta(seconds=10)
        shown = {
            request.id: diagnostics.report_status(request, now)
            for request in consent.record_for_customer(
                db_session=db_session, customer_id=customer.id
            )
        }
        assert shown == {f"req-{status}": status for status in OLD}
        steps = consent.events_of(db_session=db_session, consent_ids=list(shown))
        assert [
            (s.event, s.detail, s.actor_kind, s.actor_name, s.at) for s in steps["req-failed"]
        ] == [
            ("asked", None, "staff", "Anna Berger", ASKED),
            ("granted", None, "device", "Wohnzimmer-PC", ANSWERED),
            ("ended", "expired", "system", "", LATER),
        ]
        assert sum(len(found) for found in steps.values()) == len(before[1])
        (record,) = db_session.query(DiagnosticsReportRecord).all()
        assert (record.request.id, record.request.kind, record.request.requested_by_name) == (
            "req-completed",
            "report",
            "Anna Berger",
        )
        assert db_session.get(DiagnosticsReportRecord, record.id).report_json == '{"kept": true}'
        completed = consent.get(db_session=db_session, consent_id="req-completed")
        assert (completed.status, completed.end_reason, completed.closed_at) == (
            "ended",
            "completed",
            LATER,
        )

    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "0005")
    with engine.connect() as connection:
        after = old_history(connection)
        reports = connection.execute(text("SELECT request_id FROM diagnostics_reports")).all()
    assert after == before
    assert [tuple(row) for row in reports] == [("req-completed",)]
    world.close()
    engine.dispose()
