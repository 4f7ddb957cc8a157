"""Premium: attempt limits, the audit log, customers' sign-in credentials, device secrets,
unlock codes and offline codes.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_attempt_throttles")),
    )
    op.create_index(
        op.f("ix_attempt_throttles_window_started_at"),
        "attempt_throttles",
        ["window_started_at"],
        unique=False,
    )

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("account_number", sa.String(length=20), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_audit_entries_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_audit_entries_staff_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    op.create_index(
        op.f("ix_audit_entries_occurred_at"), "audit_entries", ["occurred_at"], unique=False
    )
    op.create_index(
        op.f("ix_audit_entries_customer_id"), "audit_entries", ["customer_id"], unique=False
    )

    op.create_table(
        "customer_credentials",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_credentials_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_credentials")),
    )

    op.create_table(
        "activation_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_activation_codes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_activation_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_activation_codes_customer_id"), "activation_codes", ["customer_id"], unique=False
    )

    op.create_table(
        "device_secrets",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("sealed_secret", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_secrets_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_secrets")),
    )

    op.create_table(
        "unlock_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_by_name", sa.String(length=200), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("used_by_device_id", sa.String(length=36), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_unlock_codes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["staff_members.id"],
            name=op.f("fk_unlock_codes_issued_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unlock_codes")),
    )
    op.create_index(
        op.f("ix_unlock_codes_customer_id"), "unlock_codes", ["customer_id"], unique=False
    )

    op.create_table(
        "offline_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("time_step", sa.Integer(), nullable=False),
        sa.Column("shown_at", UTCDateTime(), nullable=True),
        sa.Column("shown_by_id", sa.Integer(), nullable=True),
        sa.Column("shown_by_name", sa.String(length=200), nullable=True),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_offline_codes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shown_by_id"],
            ["staff_members.id"],
            name=op.f("fk_offline_codes_shown_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_codes")),
        sa.UniqueConstraint("device_id", "time_step", name=op.f("uq_offline_codes_device_id")),
    )
    op.create_index(
        op.f("ix_offline_codes_customer_id"), "offline_codes", ["customer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_offline_codes_customer_id"), table_name="offline_codes")
    op.drop_table("offline_codes")
    op.drop_index(op.f("ix_unlock_codes_customer_id"), table_name="unlock_codes")
    op.drop_table("unlock_codes")
    op.drop_table("device_secrets")
    op.drop_index(op.f("ix_activation_codes_customer_id"), table_name="activation_codes")
    op.drop_table("activation_codes")
    op.drop_table("customer_credentials")
    op.drop_index(op.f("ix_audit_entries_customer_id"), table_name="audit_entries")
    op.drop_index(op.f("ix_audit_entries_occurred_at"), table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_index(op.f("ix_attempt_throttles_window_started_at"), table_name="attempt_throttles")
    op.drop_table("attempt_throttles")
