"""Staff logins count their attempts in `attempt_throttles`, like unlock codes and
sign-ins (per user name and per address): `login_throttles` goes, and the failures and
locks it holds move over, so a running lock survives the upgrade.

Revision ID: a001
Revises: (its own branch "attempts"; needs `attempt_throttles` of 0003)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "a001"
down_revision = None
branch_labels = ("attempts",)
depends_on = "0003"

KEY_LENGTH = 200


def upgrade() -> None:
    op.execute(
        "INSERT INTO attempt_throttles (key, failures, window_started_at, locked_until) "
        f"SELECT substr('login:user:' || username, 1, {KEY_LENGTH}), failures, "
        "window_started_at, locked_until FROM login_throttles"
    )
    op.drop_index(op.f("ix_login_throttles_window_started_at"), table_name="login_throttles")
    op.drop_table("login_throttles")


def downgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_throttles")),
    )
    op.create_index(
        op.f("ix_login_throttles_window_started_at"),
        "login_throttles",
        ["window_started_at"],
        unique=False,
    )
    op.execute(
        "INSERT INTO login_throttles (username, failures, window_started_at, locked_until) "
        "SELECT substr(key, 12), failures, window_started_at, locked_until "
        "FROM attempt_throttles WHERE key LIKE 'login:user:%'"
    )
    op.execute("DELETE FROM attempt_throttles WHERE key LIKE 'login:%'")
