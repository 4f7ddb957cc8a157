"""Invoices and credit notes of paid sessions, their counters (numbers without gaps per
series and year), and files attached to the outbox's mails (an invoice's PDF).

Revision ID: i001
Revises: (its own branch "invoices"; needs the paid sessions of t001)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "i001"
down_revision = None
branch_labels = ("invoices",)
depends_on = ("t001",)


def upgrade() -> None:
    op.add_column("outbound_emails", sa.Column("attachment_name", sa.String(100), nullable=True))
    op.add_column("outbound_emails", sa.Column("attachment_type", sa.String(100), nullable=True))
    op.add_column("outbound_emails", sa.Column("attachment", sa.LargeBinary(), nullable=True))
    op.create_table(
        "invoice_counters",
        sa.Column("series", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "series IN ('invoice', 'credit_note')", name=op.f("ck_invoice_counters_series")
        ),
        sa.CheckConstraint("last_number >= 0", name=op.f("ck_invoice_counters_last_number")),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_invoice_counters")),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=60), nullable=False),
        sa.Column("paid_session_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("expert_staff_id", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("refund_transfer_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("waived", sa.BigInteger(), nullable=False),
        sa.Column("tip", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("series IN ('invoice', 'credit_note')", name=op.f("ck_invoices_series")),
        sa.CheckConstraint(
            "kind IN ('invoice', 'credit_note', 'correction')", name=op.f("ck_invoices_kind")
        ),
        sa.CheckConstraint(
            "amount >= 0 AND waived >= 0 AND tip >= 0 AND fee >= 0 AND tax >= 0 AND total >= 0",
            name=op.f("ck_invoices_figures"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_invoices_paid_session_id_paid_sessions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_invoices_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["expert_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_invoices_expert_staff_id_staff_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["invoices.id"],
            name=op.f("fk_invoices_corrects_id_invoices"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["refund_transfer_id"],
            ["ledger_transfers.id"],
            name=op.f("fk_invoices_refund_transfer_id_ledger_transfers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["outbound_emails.id"],
            name=op.f("fk_invoices_email_id_outbound_emails"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("series", "number", name=op.f("uq_invoices_series")),
        sa.UniqueConstraint("source_key", name=op.f("uq_invoices_source_key")),
    )
    for column in ("paid_session_id", "customer_id", "expert_staff_id", "issued_at"):
        op.create_index(op.f(f"ix_invoices_{column}"), "invoices", [column], unique=False)


def downgrade() -> None:
    op.drop_table("invoices")
    op.drop_table("invoice_counters")
    with op.batch_alter_table("outbound_emails") as batch:
        batch.drop_column("attachment")
        batch.drop_column("attachment_type")
        batch.drop_column("attachment_name")
