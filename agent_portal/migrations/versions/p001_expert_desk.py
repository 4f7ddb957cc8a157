"""The expert's desk: what kind a conversation is (the hotline's live help, or a
customer's free pre-chat with one expert), and each expert's availability (away by
choice or for an unanswered pre-chat; busy in a paid session).

Revision ID: p001
Revises: (its own branch "expert_desk"; needs the staff of 0001 and the conversations
of 0004)

Every conversation before this one was the hotline's: `kind` is 'hotline'.
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "p001"
down_revision = None
branch_labels = ("expert_desk",)
depends_on = "0004"


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=20), server_default="hotline", nullable=False)
        )
        batch.create_check_constraint(
            batch.f("ck_conversations_kind"), "kind IN ('hotline', 'expert_prechat')"
        )
    op.create_table(
        "desk_availability",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("away", sa.Boolean(), nullable=False),
        sa.Column("away_reason", sa.String(length=20), nullable=True),
        sa.Column("busy_since", UTCDateTime(), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "away_reason IS NULL OR away_reason IN ('chosen', 'unanswered')",
            name=op.f("ck_desk_availability_away_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_desk_availability_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_desk_availability")),
    )


def downgrade() -> None:
    op.drop_table("desk_availability")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint("ck_conversations_kind", type_="check")
        batch.drop_column("kind")
