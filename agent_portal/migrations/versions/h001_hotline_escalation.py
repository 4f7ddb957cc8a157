"""Escalation from the hotline: the offers of experts that agents make in a hotline chat
(made, accepted, declined, withdrawn or expired), with the agent's note for the expert.

Revision ID: h001
Revises: (its own branch "escalation"; needs the conversations' kind of p001 and the
expert profiles of e001)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "h001"
down_revision = None
branch_labels = ("escalation",)
depends_on = ("p001", "e001")


def upgrade() -> None:
    op.create_table(
        "escalation_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("expert_staff_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'withdrawn', 'expired')",
            name=op.f("ck_escalation_offers_status"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_escalation_offers_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert_profiles.id"],
            name=op.f("fk_escalation_offers_expert_id_expert_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_escalation_offers_expert_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["staff_members.id"],
            name=op.f("fk_escalation_offers_agent_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_offers")),
    )
    op.create_index(
        op.f("ix_escalation_offers_conversation_id"), "escalation_offers", ["conversation_id"]
    )
    op.create_index(op.f("ix_escalation_offers_status"), "escalation_offers", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_escalation_offers_status"), table_name="escalation_offers")
    op.drop_index(op.f("ix_escalation_offers_conversation_id"), table_name="escalation_offers")
    op.drop_table("escalation_offers")
