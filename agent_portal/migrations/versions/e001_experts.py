"""Experts: the category tree, expert profiles (the approved version and the change waiting
for approval), their categories, and the re-encoded photos.

Revision ID: e001
Revises: (its own branch "experts"; needs the staff table of 0001)

The starter category tree (`agent_portal.experts.starter_categories`) is written here,
once: admins change it freely afterwards, and no later start or upgrade adds it again.
It is inserted through a table description of its own, so that later changes to the
models do not change what this migration does.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime
from agent_portal.experts.starter_categories import STARTER_TREE

revision = "e001"
down_revision = None
branch_labels = ("experts",)
depends_on = "0001"


def upgrade() -> None:
    op.create_table(
        "expert_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name_de", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seed_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["expert_categories.id"],
            name=op.f("fk_expert_categories_parent_id_expert_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_categories")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_expert_categories_seed_key")),
    )
    with op.batch_alter_table("expert_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_categories_parent_id"), ["parent_id"], unique=False
        )

    op.create_table(
        "expert_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_photos")),
    )
    op.create_table(
        "expert_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("suspended_at", UTCDateTime(), nullable=True),
        sa.Column("suspension_reason", sa.String(length=500), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("keywords", sa.String(length=500), nullable=False),
        sa.Column("slogan", sa.Text(), nullable=False),
        sa.Column("qualifications", sa.Text(), nullable=False),
        sa.Column("experience", sa.Text(), nullable=False),
        sa.Column("text_language", sa.String(length=2), nullable=False),
        sa.Column("price_per_minute", sa.Integer(), nullable=True),
        sa.Column("price_per_session", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["expert_photos.id"],
            name=op.f("fk_expert_profiles_photo_id_expert_photos"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_expert_profiles_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_profiles")),
        sa.UniqueConstraint("staff_id", name=op.f("uq_expert_profiles_staff_id")),
    )
    with op.batch_alter_table("expert_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_profiles_approved_at"), ["approved_at"], unique=False
        )

    op.create_table(
        "expert_profile_categories",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_expert_profile_categories_category_id_expert_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["expert_profiles.id"],
            name=op.f("fk_expert_profile_categories_profile_id_expert_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "profile_id", "category_id", name=op.f("pk_expert_profile_categories")
        ),
    )
    with op.batch_alter_table("expert_profile_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_profile_categories_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "expert_profile_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("rejected_at", UTCDateTime(), nullable=True),
        sa.Column("rejected_by_id", sa.Integer(), nullable=True),
        sa.Column("rejection_reason", sa.String(length=1000), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("keywords", sa.String(length=500), nullable=False),
        sa.Column("slogan", sa.Text(), nullable=False),
        sa.Column("qualifications", sa.Text(), nullable=False),
        sa.Column("experience", sa.Text(), nullable=False),
        sa.Column("text_language", sa.String(length=2), nullable=False),
        sa.Column("price_per_minute", sa.Integer(), nullable=True),
        sa.Column("price_per_session", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'rejected')", name=op.f("ck_expert_profile_drafts_status")
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["expert_photos.id"],
            name=op.f("fk_expert_profile_drafts_photo_id_expert_photos"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["expert_profiles.id"],
            name=op.f("fk_expert_profile_drafts_profile_id_expert_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rejected_by_id"],
            ["staff_members.id"],
            name=op.f("fk_expert_profile_drafts_rejected_by_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_profile_drafts")),
        sa.UniqueConstraint("profile_id", name=op.f("uq_expert_profile_drafts_profile_id")),
    )
    with op.batch_alter_table("expert_profile_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_profile_drafts_status"), ["status"], unique=False
        )

    op.create_table(
        "expert_profile_draft_categories",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_expert_profile_draft_categories_category_id_expert_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["expert_profile_drafts.id"],
            name=op.f("fk_expert_profile_draft_categories_draft_id_expert_profile_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "draft_id", "category_id", name=op.f("pk_expert_profile_draft_categories")
        ),
    )
    with op.batch_alter_table("expert_profile_draft_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expert_profile_draft_categories_category_id"),
            ["category_id"],
            unique=False,
        )

    insert_starter_tree()


def insert_starter_tree() -> None:
    categories = sa.table(
        "expert_categories",
        sa.column("id", sa.Integer()),
        sa.column("parent_id", sa.Integer()),
        sa.column("name_de", sa.String()),
        sa.column("name_en", sa.String()),
        sa.column("position", sa.Integer()),
        sa.column("seed_key", sa.String()),
        sa.column("created_at", UTCDateTime()),
    )
    now = datetime.now(UTC)
    bind = op.get_bind()
    for position, ((key, name_de, name_en), children) in enumerate(STARTER_TREE):
        row = {"name_de": name_de, "name_en": name_en, "position": position, "seed_key": key}
        top_id = bind.execute(
            categories.insert().values(created_at=now, **row).returning(categories.c.id)
        ).scalar_one()
        for child_position, (child_key, child_de, child_en) in enumerate(children):
            bind.execute(
                categories.insert().values(
                    parent_id=top_id,
                    name_de=child_de,
                    name_en=child_en,
                    position=child_position,
                    seed_key=child_key,
                    created_at=now,
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("expert_profile_draft_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_profile_draft_categories_category_id"))

    op.drop_table("expert_profile_draft_categories")
    with op.batch_alter_table("expert_profile_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_profile_drafts_status"))

    op.drop_table("expert_profile_drafts")
    with op.batch_alter_table("expert_profile_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_profile_categories_category_id"))

    op.drop_table("expert_profile_categories")
    with op.batch_alter_table("expert_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_profiles_approved_at"))

    op.drop_table("expert_profiles")
    op.drop_table("expert_photos")
    # Sub-categories first: their parents may not go while they point at them.
    op.execute("DELETE FROM expert_categories WHERE parent_id IS NOT NULL")
    with op.batch_alter_table("expert_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_categories_parent_id"))

    op.drop_table("expert_categories")
