"""Portal pages: the outcomes of forms waiting for the page the form redirected to.

Revision ID: w001
Revises: (its own branch "web"; needs the portal sessions of 0001)

Rows belong to a portal session and go with it (logout, expiry). Their content is sealed
with a key derived from the session's cookie, so nothing in the table is readable alone.
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "w001"
down_revision = None
branch_labels = ("web",)
depends_on = "0001"


def upgrade() -> None:
    op.create_table(
        "portal_flashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portal_session_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("show_until", UTCDateTime(), nullable=False),
        sa.Column("once", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_session_id"],
            ["portal_sessions.id"],
            name=op.f("fk_portal_flashes_portal_session_id_portal_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_flashes")),
    )
    with op.batch_alter_table("portal_flashes") as batch:
        batch.create_index(
            batch.f("ix_portal_flashes_portal_session_id"), ["portal_session_id"], unique=False
        )
        batch.create_index(batch.f("ix_portal_flashes_show_until"), ["show_until"], unique=False)


def downgrade() -> None:
    op.drop_table("portal_flashes")
