"""The expert's own time zone on the profile: the appointment form starts in it and the
expert's pages show appointments in it; empty until the expert chooses one (the portal's
PORTAL_TIME_ZONE then).

Revision ID: c002
Revises: c001 (on the appointments' branch); needs the expert profiles of e001
"""

import sqlalchemy as sa
from alembic import op

revision = "c002"
down_revision = "c001"
branch_labels = None
depends_on = ("e001",)


def upgrade() -> None:
    with op.batch_alter_table("expert_profiles") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("expert_profiles") as batch:
        batch.drop_column("time_zone")
