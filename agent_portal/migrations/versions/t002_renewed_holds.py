"""When a paid session's charge hold was replaced by a new one before it could lapse (a
session that lasts longer than a hold's lifetime).

Revision ID: t002
Revises: t001 (on the paid sessions' branch)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "t002"
down_revision = "t001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paid_session_holds") as batch:
        batch.add_column(sa.Column("renewed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("paid_session_holds") as batch:
        batch.drop_column("renewed_at")
