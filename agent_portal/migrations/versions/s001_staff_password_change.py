"""Staff accounts an admin creates in the portal start with an initial password, which the
member must change before anything else: `staff_members.must_change_password`.

Revision ID: s001
Revises: (its own branch "staff"; needs the staff members of 0001)

Existing accounts chose their passwords themselves (on the command line): false.
"""

import sqlalchemy as sa
from alembic import op

revision = "s001"
down_revision = None
branch_labels = ("staff",)
depends_on = "0001"


def upgrade() -> None:
    with op.batch_alter_table("staff_members") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_members") as batch:
        batch.drop_column("must_change_password")
