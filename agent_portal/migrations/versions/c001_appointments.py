"""Appointments an expert proposes to a customer in their conversation, and the outbox's
calendar part (the .ics sent with an accepted or cancelled appointment).

Revision ID: c001
Revises: (its own branch "appointments"; needs the conversations and outbox of 0005, the
staff members' e-mail of s002 and the pre-chats of p001)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "c001"
down_revision = None
branch_labels = ("appointments",)
depends_on = ("0005", "s002", "p001")


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("expert_staff_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("terms", sa.String(length=20), nullable=False),
        sa.Column("price", sa.Integer(), nullable=True),
        sa.Column("price_per_minute", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cancelled_by", sa.String(length=20), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'declined', 'cancelled')",
            name=op.f("ck_appointments_status"),
        ),
        sa.CheckConstraint(
            "terms IN ('per_minute', 'fixed', 'free')", name=op.f("ck_appointments_terms")
        ),
        sa.CheckConstraint(
            "(terms = 'fixed') = (price IS NOT NULL AND price > 0)",
            name=op.f("ck_appointments_fixed_price"),
        ),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_appointments_duration")),
        sa.CheckConstraint(
            "cancelled_by IS NULL OR cancelled_by IN ('customer', 'expert')",
            name=op.f("ck_appointments_cancelled_by"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_appointments_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_appointments_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_appointments_expert_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("uid", name=op.f("uq_appointments_uid")),
    )
    for column in ("conversation_id", "expert_staff_id", "customer_id", "starts_at"):
        op.create_index(op.f(f"ix_appointments_{column}"), "appointments", [column])
    with op.batch_alter_table("outbound_emails") as batch:
        batch.add_column(sa.Column("calendar", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_emails") as batch:
        batch.drop_column("calendar")
    op.drop_table("appointments")
