"""Payouts to experts: one row per expert, currency and month marked paid out, naming its
ledger transfer (of the kind `payout` that l002 adds).

Revision ID: y001
Revises: (its own branch "payouts"; needs the ledger's payouts of l002 and staff of 0001)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "y001"
down_revision = None
branch_labels = ("payouts",)
depends_on = ("l002", "0001")


def upgrade() -> None:
    op.create_table(
        "payouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_staff_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=False),
        sa.Column("paid_by_staff_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payouts_amount_positive")),
        sa.ForeignKeyConstraint(
            ["expert_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_payouts_expert_staff_id_staff_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_payouts_paid_by_staff_id_staff_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_payouts_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payouts")),
        sa.UniqueConstraint(
            "expert_staff_id", "currency", "period", name=op.f("uq_payouts_expert_staff_id")
        ),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_payouts_transfer_id")),
    )
    op.create_index(op.f("ix_payouts_expert_staff_id"), "payouts", ["expert_staff_id"])


def downgrade() -> None:
    op.drop_table("payouts")
