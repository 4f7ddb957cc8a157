"""Background jobs across several workers: the leases saying which worker runs a job of
the whole installation, and the outbox's claims, so a mail is sent by one worker only.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )
    with op.batch_alter_table("outbound_emails") as batch:
        batch.add_column(sa.Column("claim_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_emails") as batch:
        batch.drop_column("claim_id")
    op.drop_table("job_leases")
