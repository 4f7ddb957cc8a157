"""Release tickets: a sign-in refused because every place is taken may release one of the
customer's computers in its place, once, within minutes.

Revision ID: r001
Revises: (its own branch "release_tickets"; needs the customers and activation codes of
0003)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "r001"
down_revision = None
branch_labels = ("release_tickets",)
depends_on = "0003"


def upgrade() -> None:
    op.create_table(
        "release_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("activation_code_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activation_code_id"],
            ["activation_codes.id"],
            name=op.f("fk_release_tickets_activation_code_id_activation_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_release_tickets_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_tickets")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_release_tickets_ticket_hash")),
    )
    op.create_index(
        op.f("ix_release_tickets_customer_id"), "release_tickets", ["customer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_release_tickets_customer_id"), table_name="release_tickets")
    op.drop_table("release_tickets")
