"""Staff members may have an e-mail address: relayed conversations (`mail_relay`) send
them a copy of each customer message there, and a reply from it joins the conversation.

Revision ID: s002
Revises: s001

Optional: existing accounts have none until an admin enters one.
"""

import sqlalchemy as sa
from alembic import op

revision = "s002"
down_revision = "s001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_members") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_members") as batch:
        batch.drop_column("email")
