"""Consent, one domain for every kind: `consent_requests` and their record `consent_events`.
The diagnostics requests and their log become consents of the kind report, every step
kept with its time and actor; a report points at its consent. The old tables go.

Revision ID: 0006
Revises: 0005, d001 (the log's actors as kind and name)

How an old request reads as a consent:

    diagnostics status   consent status       log entry         record step
    pending              pending              requested         asked
    allowed              granted              allowed           granted
    declined             refused              declined          refused
    expired              timed_out            expired           timed_out
    completed            ended (completed)    report_received   ended (completed)
    failed               ended (expired)      failed            ended (expired)

The old request's `expires_at` was the time to answer (`answer_by`); an allowed request
had the report timeout's default (300 s) to deliver. Taken back (downgrade), consents of
the kind report become diagnostics requests again (a revoked one reads declined); other
kinds have no place there and are dropped.
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "0006"
# It joins the diagnostics log's branch (d001) into the main line: the log it moves is
# d001's, and a branch it depends on without joining would stay a head that no database
# at the newest revision records.
down_revision = ("0005", "d001")
branch_labels = None
depends_on = None

KINDS = "kind IN ('report', 'screen_view', 'control', 'call')"
STATUSES = "status IN ('pending', 'granted', 'refused', 'timed_out', 'revoked', 'ended')"
END_REASONS = "end_reason IN ('completed', 'expired', 'withdrawn', 'parent_closed')"
EVENTS = "event IN ('asked', 'granted', 'refused', 'timed_out', 'revoked', 'ended')"
ACTOR_KINDS = "actor_kind IN ('staff', 'device', 'system')"
OLD_STATUSES = "status IN ('pending', 'allowed', 'declined', 'expired', 'completed', 'failed')"
OLD_EVENTS = "event IN ('requested', 'allowed', 'declined', 'expired', 'report_received', 'failed')"
REPORT_SCOPE = {
    "categories": ["internet", "email", "computer", "security"],
    "include_premium": True,
}
REPORT_SECONDS = 300

# old status -> (status, end reason); old log entry -> (step, detail)
STATUS = {
    "pending": ("pending", None),
    "allowed": ("granted", None),
    "declined": ("refused", None),
    "expired": ("timed_out", None),
    "completed": ("ended", "completed"),
    "failed": ("ended", "expired"),
}
EVENT = {
    "requested": ("asked", None),
    "allowed": ("granted", None),
    "declined": ("refused", None),
    "expired": ("timed_out", None),
    "report_received": ("ended", "completed"),
    "failed": ("ended", "expired"),
}
# Back: what has no old word reads as its nearest one.
OLD_STATUS = {new: old for old, new in STATUS.items()} | {
    ("revoked", None): "declined",
    ("ended", "withdrawn"): "failed",
    ("ended", "parent_closed"): "failed",
}
OLD_EVENT = {new: old for old, new in EVENT.items()} | {
    ("revoked", None): "declined",
    ("ended", "withdrawn"): "failed",
    ("ended", "parent_closed"): "failed",
}

consent_requests = sa.table(
    "consent_requests",
    *(
        sa.column(name, type_)
        for name, type_ in (
            ("id", sa.String()),
            ("kind", sa.String()),
            ("customer_id", sa.Integer()),
            ("device_id", sa.String()),
            ("requested_by_id", sa.Integer()),
            ("requested_by_name", sa.String()),
            ("reason", sa.String()),
            ("scope", sa.JSON()),
            ("parent_id", sa.String()),
            ("status", sa.String()),
            ("end_reason", sa.String()),
            ("created_at", UTCDateTime()),
            ("answer_by", UTCDateTime()),
            ("answered_at", UTCDateTime()),
            ("lasts_seconds", sa.Integer()),
            ("expires_at", UTCDateTime()),
            ("closed_at", UTCDateTime()),
        )
    ),
)
consent_events = sa.table(
    "consent_events",
    sa.column("id", sa.Integer()),
    sa.column("consent_id", sa.String()),
    sa.column("event", sa.String()),
    sa.column("detail", sa.String()),
    sa.column("actor_kind", sa.String()),
    sa.column("actor_name", sa.String()),
    sa.column("at", UTCDateTime()),
)
diagnostics_requests = sa.table(
    "diagnostics_requests",
    sa.column("id", sa.String()),
    sa.column("device_id", sa.String()),
    sa.column("customer_id", sa.Integer()),
    sa.column("requested_by_id", sa.Integer()),
    sa.column("requested_by_name", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("expires_at", UTCDateTime()),
    sa.column("answered_at", UTCDateTime()),
    sa.column("completed_at", UTCDateTime()),
)
diagnostics_events = sa.table(
    "diagnostics_events",
    sa.column("id", sa.Integer()),
    sa.column("request_id", sa.String()),
    sa.column("event", sa.String()),
    sa.column("actor_kind", sa.String()),
    sa.column("actor_name", sa.String()),
    sa.column("at", UTCDateTime()),
)


def _create_consent_tables() -> None:
    op.create_table(
        "consent_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("parent_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("answer_by", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("lasts_seconds", sa.Integer(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(KINDS, name=op.f("ck_consent_requests_kind")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_consent_requests_status")),
        sa.CheckConstraint(END_REASONS, name=op.f("ck_consent_requests_end_reason")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_consent_requests_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_consent_requests_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["consent_requests.id"],
            name=op.f("fk_consent_requests_parent_id_consent_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["staff_members.id"],
            name=op.f("fk_consent_requests_requested_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_requests")),
    )
    for column in ("customer_id", "device_id", "parent_id", "status"):
        op.create_index(
            op.f(f"ix_consent_requests_{column}"), "consent_requests", [column], unique=False
        )
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.String(length=20), nullable=True),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(EVENTS, name=op.f("ck_consent_events_event")),
        sa.CheckConstraint(ACTOR_KINDS, name=op.f("ck_consent_events_actor_kind")),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent_requests.id"],
            name=op.f("fk_consent_events_consent_id_consent_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    op.create_index(
        op.f("ix_consent_events_consent_id"), "consent_events", ["consent_id"], unique=False
    )


def _create_diagnostics_tables() -> None:
    """As 0004 and d001 left them."""
    op.create_table(
        "diagnostics_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(OLD_STATUSES, name=op.f("ck_diagnostics_requests_status")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_diagnostics_requests_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_diagnostics_requests_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["staff_members.id"],
            name=op.f("fk_diagnostics_requests_requested_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics_requests")),
    )
    for column in ("customer_id", "device_id", "status"):
        op.create_index(
            op.f(f"ix_diagnostics_requests_{column}"),
            "diagnostics_requests",
            [column],
            unique=False,
        )
    op.create_table(
        "diagnostics_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.CheckConstraint(OLD_EVENTS, name=op.f("ck_diagnostics_events_event")),
        sa.CheckConstraint(ACTOR_KINDS, name=op.f("ck_diagnostics_events_actor_kind")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["diagnostics_requests.id"],
            name=op.f("fk_diagnostics_events_request_id_diagnostics_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics_events")),
    )
    op.create_index(
        op.f("ix_diagnostics_events_request_id"), "diagnostics_events", ["request_id"], unique=False
    )


def _report_points_at(table: str) -> None:
    with op.batch_alter_table("diagnostics_reports") as batch:
        old = "diagnostics_requests" if table == "consent_requests" else "consent_requests"
        batch.drop_constraint(f"fk_diagnostics_reports_request_id_{old}", type_="foreignkey")
        batch.create_foreign_key(
            f"fk_diagnostics_reports_request_id_{table}",
            table,
            ["request_id"],
            ["id"],
            ondelete="CASCADE",
        )


def _copy_to_consent(connection) -> None:
    requests = connection.execute(sa.select(diagnostics_requests)).mappings().all()
    events = (
        connection.execute(sa.select(diagnostics_events).order_by(diagnostics_events.c.id))
        .mappings()
        .all()
    )
    closing = {}  # request id -> when its last entry was made
    for event in events:
        closing[event["request_id"]] = event["at"]
    lasts = timedelta(seconds=REPORT_SECONDS)
    rows = []
    for request in requests:
        status, end_reason = STATUS[request["status"]]
        answered = request["answered_at"]
        rows.append(
            {
                "id": request["id"],
                "kind": "report",
                "customer_id": request["customer_id"],
                "device_id": request["device_id"],
                "requested_by_id": request["requested_by_id"],
                "requested_by_name": request["requested_by_name"],
                "reason": "",
                "scope": REPORT_SCOPE,
                "parent_id": None,
                "status": status,
                "end_reason": end_reason,
                "created_at": request["created_at"],
                "answer_by": request["expires_at"],
                "answered_at": answered,
                "lasts_seconds": REPORT_SECONDS,
                "expires_at": answered + lasts if answered is not None else None,
                "closed_at": (
                    None
                    if status in ("pending", "granted")
                    else request["completed_at"] or closing.get(request["id"]) or answered
                ),
            }
        )
    if rows:
        connection.execute(consent_requests.insert(), rows)
    steps = []
    for event in events:
        step, detail = EVENT[event["event"]]
        steps.append(
            {
                "consent_id": event["request_id"],
                "event": step,
                "detail": detail,
                "actor_kind": event["actor_kind"],
                "actor_name": event["actor_name"],
                "at": event["at"],
            }
        )
    if steps:
        connection.execute(consent_events.insert(), steps)


def _copy_to_diagnostics(connection) -> None:
    consents = (
        connection.execute(sa.select(consent_requests).where(consent_requests.c.kind == "report"))
        .mappings()
        .all()
    )
    rows = []
    for consent in consents:
        status = OLD_STATUS[(consent["status"], consent["end_reason"])]
        rows.append(
            {
                "id": consent["id"],
                "device_id": consent["device_id"],
                "customer_id": consent["customer_id"],
                "requested_by_id": consent["requested_by_id"],
                "requested_by_name": consent["requested_by_name"],
                "status": status,
                "created_at": consent["created_at"],
                "expires_at": consent["answer_by"],
                "answered_at": consent["answered_at"],
                "completed_at": consent["closed_at"] if status == "completed" else None,
            }
        )
    if rows:
        connection.execute(diagnostics_requests.insert(), rows)
    ids = [consent["id"] for consent in consents]
    steps = (
        connection.execute(
            sa.select(consent_events)
            .where(consent_events.c.consent_id.in_(ids))
            .order_by(consent_events.c.id)
        )
        .mappings()
        .all()
        if ids
        else []
    )
    entries = [
        {
            "request_id": step["consent_id"],
            "event": OLD_EVENT[
                (step["event"], step["detail"] if step["event"] == "ended" else None)
            ],
            "actor_kind": step["actor_kind"],
            "actor_name": step["actor_name"],
            "at": step["at"],
        }
        for step in steps
    ]
    if entries:
        connection.execute(diagnostics_events.insert(), entries)


def upgrade() -> None:
    _create_consent_tables()
    _copy_to_consent(op.get_bind())
    _report_points_at("consent_requests")
    op.drop_index(op.f("ix_diagnostics_events_request_id"), table_name="diagnostics_events")
    op.drop_table("diagnostics_events")
    for column in ("customer_id", "device_id", "status"):
        op.drop_index(op.f(f"ix_diagnostics_requests_{column}"), table_name="diagnostics_requests")
    op.drop_table("diagnostics_requests")


def downgrade() -> None:
    _create_diagnostics_tables()
    _copy_to_diagnostics(op.get_bind())
    op.execute(
        "DELETE FROM diagnostics_reports "
        "WHERE request_id NOT IN (SELECT id FROM diagnostics_requests)"
    )
    _report_points_at("diagnostics_requests")
    op.drop_index(op.f("ix_consent_events_consent_id"), table_name="consent_events")
    op.drop_table("consent_events")
    for column in ("customer_id", "device_id", "parent_id", "status"):
        op.drop_index(op.f(f"ix_consent_requests_{column}"), table_name="consent_requests")
    op.drop_table("consent_requests")
