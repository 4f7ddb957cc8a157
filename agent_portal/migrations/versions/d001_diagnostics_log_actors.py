"""Diagnostics log: who acted is kept as kind and name, as the audit log keeps it, so the
report page names the agent and the device instead of internal ids.

Revision ID: d001
Revises: (its own branch "diagnostics_log"; needs the tables of 0004)

Existing rows keep what they said: "staff:<user name>" becomes the staff member's name
(the user name if the account is gone), "device:<id>" the device's name (the id if it is
gone), "server" the system.
"""

import sqlalchemy as sa
from alembic import op

revision = "d001"
down_revision = None
branch_labels = ("diagnostics_log",)
depends_on = "0004"

ACTOR_KINDS = "actor_kind IN ('staff', 'device', 'system')"


def upgrade() -> None:
    with op.batch_alter_table("diagnostics_events") as batch:
        batch.add_column(sa.Column("actor_kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("actor_name", sa.String(length=200), nullable=True))
    op.execute(
        """
        UPDATE diagnostics_events SET actor_kind = 'staff', actor_name = COALESCE(
            (SELECT COALESCE(NULLIF(staff_members.display_name, ''), staff_members.username)
             FROM staff_members WHERE 'staff:' || staff_members.username = actor),
            SUBSTR(actor, 7))
        WHERE actor LIKE 'staff:%'
        """
    )
    op.execute(
        """
        UPDATE diagnostics_events SET actor_kind = 'device', actor_name = COALESCE(
            (SELECT devices.name FROM devices WHERE 'device:' || devices.id = actor),
            SUBSTR(actor, 8))
        WHERE actor LIKE 'device:%'
        """
    )
    op.execute(
        "UPDATE diagnostics_events SET actor_kind = 'system', actor_name = '' "
        "WHERE actor_kind IS NULL"
    )
    with op.batch_alter_table("diagnostics_events") as batch:
        batch.alter_column("actor_kind", existing_type=sa.String(length=10), nullable=False)
        batch.alter_column("actor_name", existing_type=sa.String(length=200), nullable=False)
        batch.drop_column("actor")
        batch.create_check_constraint("actor_kind", ACTOR_KINDS)


def downgrade() -> None:
    with op.batch_alter_table("diagnostics_events") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE diagnostics_events SET actor = CASE actor_kind "
        "WHEN 'system' THEN 'server' ELSE actor_kind || ':' || actor_name END"
    )
    with op.batch_alter_table("diagnostics_events") as batch:
        batch.alter_column("actor", existing_type=sa.String(length=200), nullable=False)
        batch.drop_constraint("actor_kind", type_="check")
        batch.drop_column("actor_name")
        batch.drop_column("actor_kind")
