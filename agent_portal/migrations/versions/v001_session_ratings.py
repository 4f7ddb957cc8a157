"""Ratings of paid sessions, both ways, and the helpful votes on them.

Revision ID: v001
Revises: (its own branch "session_ratings"; needs the paid sessions of t001, the ratings
of e100 and the customers of 0002)
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "v001"
down_revision = None
branch_labels = ("session_ratings",)
depends_on = ("t001", "e100", "0002")


def upgrade() -> None:
    op.create_table(
        "session_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paid_session_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revealed_at", UTCDateTime(), nullable=True),
        sa.Column("expert_rating_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_session_ratings_stars")),
        sa.CheckConstraint("side IN ('customer', 'expert')", name=op.f("ck_session_ratings_side")),
        sa.ForeignKeyConstraint(
            ["paid_session_id"],
            ["paid_sessions.id"],
            name=op.f("fk_session_ratings_paid_session_id_paid_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_session_ratings_category_id_expert_categories"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["expert_rating_id"],
            ["expert_ratings.id"],
            name=op.f("fk_session_ratings_expert_rating_id_expert_ratings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_ratings")),
        sa.UniqueConstraint(
            "paid_session_id", "side", name=op.f("uq_session_ratings_paid_session_id")
        ),
        sa.UniqueConstraint("expert_rating_id", name=op.f("uq_session_ratings_expert_rating_id")),
    )
    for column in ("paid_session_id", "category_id", "revealed_at"):
        op.create_index(
            op.f(f"ix_session_ratings_{column}"), "session_ratings", [column], unique=False
        )
    op.create_table(
        "session_rating_votes",
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("voted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["session_ratings.id"],
            name=op.f("fk_session_rating_votes_rating_id_session_ratings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_session_rating_votes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rating_id", "customer_id", name=op.f("pk_session_rating_votes")),
    )
    op.create_index(
        op.f("ix_session_rating_votes_customer_id"),
        "session_rating_votes",
        ["customer_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("session_rating_votes")
    op.drop_table("session_ratings")
