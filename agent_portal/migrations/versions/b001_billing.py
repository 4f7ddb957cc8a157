"""Billing: the ISP bill's lines of paid sessions (charges, tips, refunds) with their feed
position and booking, the feed's one-row counter (its lock), and customers' disputes.

Revision ID: b001
Revises: (its own branch "billing"; needs the paid sessions of t001)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "b001"
down_revision = None
branch_labels = ("billing",)
depends_on = ("t001",)


def upgrade() -> None:
    op.create_table(
        "billing_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("paid_session_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("collected_at", UTCDateTime(), nullable=False),
        sa.Column("booked_at", UTCDateTime(), nullable=True),
        sa.Column("booked_by_api_key_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('charge', 'tip', 'refund')", name=op.f("ck_billing_charges_kind")
        ),
        sa.CheckConstraint(
            "(kind = 'refund' AND amount < 0) OR (kind <> 'refund' AND amount > 0)",
            name=op.f("ck_billing_charges_amount_sign"),
        ),
        sa.CheckConstraint("position > 0", name=op.f("ck_billing_charges_position_positive")),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_billing_charges_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["paid_session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_billing_charges_paid_session_id_paid_sessions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_billing_charges_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_charges")),
        sa.UniqueConstraint("position", name=op.f("uq_billing_charges_position")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_billing_charges_transfer_id")),
    )
    for column in ("paid_session_id", "customer_id", "booked_at"):
        op.create_index(
            op.f(f"ix_billing_charges_{column}"), "billing_charges", [column], unique=False
        )
    feed = op.create_table(
        "billing_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_feed")),
    )
    op.bulk_insert(feed, [{"id": 1, "next_position": 1}])
    op.create_table(
        "billing_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paid_session_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.Column("resolution_note", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('refunded', 'rejected')",
            name=op.f("ck_billing_disputes_resolution"),
        ),
        sa.CheckConstraint(
            "(resolved_at IS NULL) = (resolution IS NULL)",
            name=op.f("ck_billing_disputes_resolved_with_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_billing_disputes_paid_session_id_paid_sessions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_billing_disputes_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_billing_disputes_resolved_by_staff_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_disputes")),
        sa.UniqueConstraint("paid_session_id", name=op.f("uq_billing_disputes_paid_session_id")),
    )
    for column in ("customer_id", "resolved_at"):
        op.create_index(
            op.f(f"ix_billing_disputes_{column}"), "billing_disputes", [column], unique=False
        )


def downgrade() -> None:
    op.drop_table("billing_disputes")
    op.drop_table("billing_feed")
    op.drop_table("billing_charges")
