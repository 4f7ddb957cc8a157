"""The live channel: connections (presence), agents' topics, conversations with their
messages, attachments and handover notes, the e-mail outbox, and remote diagnostics
(requests, their log, reports).

Revision ID: 0004
Revises: 0003

Message numbers are unique per conversation (uq_chat_messages_seq), and so is each
sender's own message id (uq_chat_messages_client_msg_id): a repeated send stores nothing.
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_topics",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "topic IN ('internet', 'wifi', 'email', 'computer', 'security', 'contract')",
            name=op.f("ck_agent_topics_topic"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_agent_topics_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "topic", name=op.f("pk_agent_topics")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("start_key", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("queued_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'active', 'ticket', 'answered', 'closed')",
            name=op.f("ck_conversations_status"),
        ),
        sa.CheckConstraint(
            "topic IN ('internet', 'wifi', 'email', 'computer', 'security', 'contract')",
            name=op.f("ck_conversations_topic"),
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["staff_members.id"],
            name=op.f("fk_conversations_agent_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_conversations_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_conversations_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("customer_id", "start_key", name="uq_conversations_start_key"),
    )
    op.create_index(op.f("ix_conversations_agent_id"), "conversations", ["agent_id"], unique=False)
    op.create_index(
        op.f("ix_conversations_customer_id"), "conversations", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_conversations_device_id"), "conversations", ["device_id"], unique=False
    )
    op.create_index(op.f("ix_conversations_status"), "conversations", ["status"], unique=False)

    op.create_table(
        "diagnostics_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'allowed', 'declined', 'expired', 'completed', 'failed')",
            name=op.f("ck_diagnostics_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_diagnostics_requests_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_diagnostics_requests_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["staff_members.id"],
            name=op.f("fk_diagnostics_requests_requested_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics_requests")),
    )
    op.create_index(
        op.f("ix_diagnostics_requests_customer_id"),
        "diagnostics_requests",
        ["customer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_diagnostics_requests_device_id"),
        "diagnostics_requests",
        ["device_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_diagnostics_requests_status"), "diagnostics_requests", ["status"], unique=False
    )

    op.create_table(
        "live_connections",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("worker_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("last_activity_at", UTCDateTime(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'staff' AND staff_id IS NOT NULL AND device_id IS NULL) OR "
            "(kind = 'device' AND device_id IS NOT NULL AND staff_id IS NULL)",
            name=op.f("ck_live_connections_owner"),
        ),
        sa.CheckConstraint("kind IN ('staff', 'device')", name=op.f("ck_live_connections_kind")),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_live_connections_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_live_connections_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_connections")),
    )
    op.create_index(
        op.f("ix_live_connections_device_id"), "live_connections", ["device_id"], unique=False
    )
    op.create_index(
        op.f("ix_live_connections_seen_at"), "live_connections", ["seen_at"], unique=False
    )
    op.create_index(
        op.f("ix_live_connections_staff_id"), "live_connections", ["staff_id"], unique=False
    )
    op.create_index(
        op.f("ix_live_connections_worker_id"), "live_connections", ["worker_id"], unique=False
    )

    op.create_table(
        "chat_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_chat_attachments_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_attachments")),
    )
    op.create_index(
        op.f("ix_chat_attachments_conversation_id"),
        "chat_attachments",
        ["conversation_id"],
        unique=False,
    )

    op.create_table(
        "conversation_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("to_staff_id", sa.Integer(), nullable=True),
        sa.Column("to_topic", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_members.id"],
            name=op.f("fk_conversation_notes_author_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_notes_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_staff_id"],
            ["staff_members.id"],
            name=op.f("fk_conversation_notes_to_staff_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_notes")),
    )
    op.create_index(
        op.f("ix_conversation_notes_conversation_id"),
        "conversation_notes",
        ["conversation_id"],
        unique=False,
    )

    op.create_table(
        "diagnostics_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "event IN ('requested', 'allowed', 'declined', 'expired', 'report_received', 'failed')",
            name=op.f("ck_diagnostics_events_event"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["diagnostics_requests.id"],
            name=op.f("fk_diagnostics_events_request_id_diagnostics_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics_events")),
    )
    op.create_index(
        op.f("ix_diagnostics_events_request_id"), "diagnostics_events", ["request_id"], unique=False
    )

    op.create_table(
        "diagnostics_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("report_uuid", sa.String(length=36), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_diagnostics_reports_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_diagnostics_reports_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["diagnostics_requests.id"],
            name=op.f("fk_diagnostics_reports_request_id_diagnostics_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics_reports")),
        sa.UniqueConstraint("request_id", name=op.f("uq_diagnostics_reports_request_id")),
    )
    op.create_index(
        op.f("ix_diagnostics_reports_customer_id"),
        "diagnostics_reports",
        ["customer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_diagnostics_reports_device_id"), "diagnostics_reports", ["device_id"], unique=False
    )
    op.create_index(
        op.f("ix_diagnostics_reports_received_at"),
        "diagnostics_reports",
        ["received_at"],
        unique=False,
    )

    op.create_table(
        "outbound_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_outbound_emails_status")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_outbound_emails_conversation_id_conversations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_emails")),
    )
    op.create_index(
        op.f("ix_outbound_emails_next_attempt_at"),
        "outbound_emails",
        ["next_attempt_at"],
        unique=False,
    )
    op.create_index(op.f("ix_outbound_emails_status"), "outbound_emails", ["status"], unique=False)

    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("client_msg_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=20), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "sender IN ('customer', 'agent', 'system')", name=op.f("ck_chat_messages_sender")
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["chat_attachments.id"],
            name=op.f("fk_chat_messages_attachment_id_chat_attachments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_chat_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_chat_messages_staff_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_messages")),
        sa.UniqueConstraint(
            "conversation_id", "client_msg_id", name="uq_chat_messages_client_msg_id"
        ),
        sa.UniqueConstraint("conversation_id", "seq", name="uq_chat_messages_seq"),
    )


def downgrade() -> None:
    op.drop_table("chat_messages")
    op.drop_index(op.f("ix_outbound_emails_status"), table_name="outbound_emails")
    op.drop_index(op.f("ix_outbound_emails_next_attempt_at"), table_name="outbound_emails")

    op.drop_table("outbound_emails")
    op.drop_index(op.f("ix_diagnostics_reports_received_at"), table_name="diagnostics_reports")
    op.drop_index(op.f("ix_diagnostics_reports_device_id"), table_name="diagnostics_reports")
    op.drop_index(op.f("ix_diagnostics_reports_customer_id"), table_name="diagnostics_reports")

    op.drop_table("diagnostics_reports")
    op.drop_index(op.f("ix_diagnostics_events_request_id"), table_name="diagnostics_events")

    op.drop_table("diagnostics_events")
    op.drop_index(op.f("ix_conversation_notes_conversation_id"), table_name="conversation_notes")

    op.drop_table("conversation_notes")
    op.drop_index(op.f("ix_chat_attachments_conversation_id"), table_name="chat_attachments")

    op.drop_table("chat_attachments")
    op.drop_index(op.f("ix_live_connections_worker_id"), table_name="live_connections")
    op.drop_index(op.f("ix_live_connections_staff_id"), table_name="live_connections")
    op.drop_index(op.f("ix_live_connections_seen_at"), table_name="live_connections")
    op.drop_index(op.f("ix_live_connections_device_id"), table_name="live_connections")

    op.drop_table("live_connections")
    op.drop_index(op.f("ix_diagnostics_requests_status"), table_name="diagnostics_requests")
    op.drop_index(op.f("ix_diagnostics_requests_device_id"), table_name="diagnostics_requests")
    op.drop_index(op.f("ix_diagnostics_requests_customer_id"), table_name="diagnostics_requests")

    op.drop_table("diagnostics_requests")
    op.drop_index(op.f("ix_conversations_status"), table_name="conversations")
    op.drop_index(op.f("ix_conversations_device_id"), table_name="conversations")
    op.drop_index(op.f("ix_conversations_customer_id"), table_name="conversations")
    op.drop_index(op.f("ix_conversations_agent_id"), table_name="conversations")

    op.drop_table("conversations")
    op.drop_table("agent_topics")
