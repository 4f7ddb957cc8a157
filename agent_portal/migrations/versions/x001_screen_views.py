"""Screen sharing: `screen_views`, what is kept beside a screen view's consent (the
conversation it was asked in, the relay stream of its picture).

Revision ID: x001
Revises: (its own branch "screen_sharing"; needs the conversations of 0004 and the
consents of 0006)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "x001"
down_revision = None
branch_labels = ("screen_sharing",)
depends_on = "0006"


def upgrade() -> None:
    op.create_table(
        "screen_views",
        sa.Column("consent_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.BigInteger(), nullable=True),
        sa.Column("sender", sa.String(length=32), nullable=True),
        sa.Column("receivers", sa.JSON(), nullable=True),
        sa.Column("stream_opened_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent_requests.id"],
            name=op.f("fk_screen_views_consent_id_consent_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_screen_views_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consent_id", name=op.f("pk_screen_views")),
    )
    with op.batch_alter_table("screen_views") as batch:
        batch.create_index(
            batch.f("ix_screen_views_conversation_id"), ["conversation_id"], unique=False
        )
        batch.create_index(batch.f("ix_screen_views_sender"), ["sender"], unique=False)


def downgrade() -> None:
    op.drop_table("screen_views")
