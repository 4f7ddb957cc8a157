"""Paid sessions: the metered (or fixed-price) part of an expert's help, with the ledger
transfers of its charge and tip.

Revision ID: t001
Revises: (its own branch "paid_sessions"; needs the ledger of l001, the appointments of
c001, the expert profiles of e001 and the customers of 0002, who get a monthly spending
limit for their sessions)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "t001"
down_revision = None
branch_labels = ("paid_sessions",)
depends_on = ("l001", "c001", "e001", "0002")


def upgrade() -> None:
    op.create_table(
        "paid_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("expert_staff_id", sa.Integer(), nullable=False),
        sa.Column("expert_profile_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("terms", sa.String(length=12), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("billing_rule", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("billed_seconds", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("waived", sa.BigInteger(), nullable=False),
        sa.Column("tip", sa.BigInteger(), nullable=False),
        sa.Column("capture_transfer_id", sa.Integer(), nullable=True),
        sa.Column("tip_transfer_id", sa.Integer(), nullable=True),
        sa.Column("maximum", sa.BigInteger(), nullable=False),
        sa.Column("banked_seconds", sa.Integer(), nullable=False),
        sa.Column("run_started_at", UTCDateTime(), nullable=True),
        sa.Column("paused_reason", sa.String(length=12), nullable=True),
        sa.Column("resume_requested", sa.Boolean(), nullable=False),
        sa.Column("gone_since", UTCDateTime(), nullable=True),
        sa.Column("both_seen_at", UTCDateTime(), nullable=True),
        sa.Column("warned_for", sa.BigInteger(), nullable=True),
        sa.Column("ended_by", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "paused_reason IS NULL OR paused_reason IN "
            "('expert', 'customer', 'disconnected', 'maximum')",
            name=op.f("ck_paid_sessions_paused_reason"),
        ),
        sa.CheckConstraint(
            "ended_by IS NULL OR ended_by IN ('expert', 'customer')",
            name=op.f("ck_paid_sessions_ended_by"),
        ),
        sa.CheckConstraint(
            "maximum >= 0 AND banked_seconds >= 0", name=op.f("ck_paid_sessions_meter")
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'running', 'paused', 'ended', 'cancelled')",
            name=op.f("ck_paid_sessions_status"),
        ),
        sa.CheckConstraint("terms IN ('per_minute', 'fixed')", name=op.f("ck_paid_sessions_terms")),
        sa.CheckConstraint(
            "billing_rule IN ('second', 'started_minute')",
            name=op.f("ck_paid_sessions_billing_rule"),
        ),
        sa.CheckConstraint("price > 0", name=op.f("ck_paid_sessions_price_positive")),
        sa.CheckConstraint(
            "billed_seconds >= 0 AND amount >= 0 AND waived >= 0 AND tip >= 0 AND waived <= amount",
            name=op.f("ck_paid_sessions_figures"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_paid_sessions_conversation_id_conversations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_paid_sessions_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["expert_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_paid_sessions_expert_staff_id_staff_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["expert_profile_id"],
            ["expert_profiles.id"],
            name=op.f("fk_paid_sessions_expert_profile_id_expert_profiles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_paid_sessions_category_id_expert_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_paid_sessions_appointment_id_appointments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["capture_transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_paid_sessions_capture_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tip_transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_paid_sessions_tip_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paid_sessions")),
        sa.UniqueConstraint(
            "capture_transfer_id", name=op.f("uq_paid_sessions_capture_transfer_id")
        ),
        sa.UniqueConstraint("tip_transfer_id", name=op.f("uq_paid_sessions_tip_transfer_id")),
    )
    for column in (
        "conversation_id",
        "customer_id",
        "expert_staff_id",
        "expert_profile_id",
        "category_id",
        "status",
        "ended_at",
    ):
        op.create_index(op.f(f"ix_paid_sessions_{column}"), "paid_sessions", [column], unique=False)
    op.create_table(
        "paid_session_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("hold_transfer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_transfer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('charge', 'tip')", name=op.f("ck_paid_session_holds_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_paid_session_holds_session_id_paid_sessions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["hold_transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_paid_session_holds_hold_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_paid_session_holds_resolved_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paid_session_holds")),
        sa.UniqueConstraint(
            "hold_transfer_id", name=op.f("uq_paid_session_holds_hold_transfer_id")
        ),
        sa.UniqueConstraint(
            "resolved_transfer_id", name=op.f("uq_paid_session_holds_resolved_transfer_id")
        ),
    )
    op.create_index(op.f("ix_paid_session_holds_session_id"), "paid_session_holds", ["session_id"])
    op.create_table(
        "paid_session_commands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_paid_session_commands_session_id_paid_sessions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paid_session_commands")),
        sa.UniqueConstraint("actor", "command_id", name=op.f("uq_paid_session_commands_actor")),
    )
    op.create_index(
        op.f("ix_paid_session_commands_session_id"), "paid_session_commands", ["session_id"]
    )
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("monthly_spending_limit", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("monthly_spending_limit")
    op.drop_table("paid_session_commands")
    op.drop_table("paid_session_holds")
    op.drop_table("paid_sessions")
