"""The mail relay: conversations carried by e-mail too, their participants' reply
addresses, and the outbox's From name and Reply-To for their copies.

Revision ID: m001
Revises: (its own branch "mail_relay"; needs the conversations and outbox of 0005 and the
staff members' e-mail of s002)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "m001"
down_revision = None
branch_labels = ("mail_relay",)
depends_on = ("0005", "s002")


def upgrade() -> None:
    op.create_table(
        "mail_relay_conversations",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("enabled_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_mail_relay_conversations_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_mail_relay_conversations")),
    )
    op.create_table(
        "mail_relay_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("relayed_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('customer', 'staff')", name=op.f("ck_mail_relay_participants_role")
        ),
        sa.CheckConstraint(
            "(role = 'customer' AND staff_id IS NULL) OR (role = 'staff' AND staff_id IS NOT NULL)",
            name=op.f("ck_mail_relay_participants_staff_for_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["mail_relay_conversations.conversation_id"],
            name=op.f("fk_mail_relay_participants_conversation_id_mail_relay_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_mail_relay_participants_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_relay_participants")),
        sa.UniqueConstraint(
            "conversation_id", "role", "staff_id", name="uq_mail_relay_participant"
        ),
        sa.UniqueConstraint("token", name=op.f("uq_mail_relay_participants_token")),
    )
    op.create_index(
        op.f("ix_mail_relay_participants_conversation_id"),
        "mail_relay_participants",
        ["conversation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mail_relay_participants_staff_id"),
        "mail_relay_participants",
        ["staff_id"],
        unique=False,
    )
    with op.batch_alter_table("outbound_emails") as batch:
        batch.add_column(sa.Column("from_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("reply_to", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_emails") as batch:
        batch.drop_column("reply_to")
        batch.drop_column("from_name")
    op.drop_index(op.f("ix_mail_relay_participants_staff_id"), table_name="mail_relay_participants")
    op.drop_index(
        op.f("ix_mail_relay_participants_conversation_id"),
        table_name="mail_relay_participants",
    )
    op.drop_table("mail_relay_participants")
    op.drop_table("mail_relay_conversations")
