"""Expert search and ranking: the index of findable profiles, its categories, and the
ratings the ranking reads.

Revision ID: e100
Revises: e001 (the expert profiles and categories), on the experts' branch; labelled
"expert_search" itself, so the main line keeps one head (`migrate.main_line_head`)

The full-text index is hand-written and differs by database, as the knowledge base's
(k001):

- SQLite: a contentless FTS5 table over the entry's name, category names, keywords and
  texts, kept in sync by three triggers; the tokenizer folds case and removes diacritics.
- PostgreSQL: a generated tsvector column over the same text, built three times, with the
  'simple' configuration (every word as typed) and the 'german' and 'english' ones (their
  stems), since a profile's text may be in either language; a GIN index on it. Lower-cased
  with ICU where the server has it (see k001).

Both index hyphenated words a second time without the hyphen ("Wi-Fi" is found as "wifi").
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "e100"
down_revision = "e001"
branch_labels = ("expert_search",)
depends_on = None

FTS_COLUMNS = "display_name, categories, keywords, slogan, texts"


def upgrade() -> None:
    op.create_table(
        "expert_search_entries",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("slogan", sa.Text(), nullable=False),
        sa.Column("texts", sa.Text(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("price_per_minute", sa.Integer(), nullable=True),
        sa.Column("price_per_session", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rating_weight", sa.Float(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("indexed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["expert_profiles.id"],
            name=op.f("fk_expert_search_entries_profile_id_expert_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_members.id"],
            name=op.f("fk_expert_search_entries_staff_id_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_expert_search_entries")),
    )
    op.create_index(
        "ix_expert_search_entries_rank", "expert_search_entries", ["score", "profile_id"]
    )
    op.create_index(
        op.f("ix_expert_search_entries_staff_id"), "expert_search_entries", ["staff_id"]
    )
    for column in ("price_per_minute", "price_per_session"):
        op.create_index(
            op.f(f"ix_expert_search_entries_{column}"), "expert_search_entries", [column]
        )
    op.create_table(
        "expert_search_categories",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_expert_search_categories_category_id_expert_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["expert_search_entries.profile_id"],
            name=op.f("fk_expert_search_categories_profile_id_expert_search_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "category_id", "profile_id", name=op.f("pk_expert_search_categories")
        ),
    )
    op.create_index(
        op.f("ix_expert_search_categories_profile_id"),
        "expert_search_categories",
        ["profile_id"],
    )
    op.create_table(
        "expert_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("cents", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_expert_ratings_score")),
        sa.CheckConstraint("seconds >= 0", name=op.f("ck_expert_ratings_seconds")),
        sa.CheckConstraint("cents >= 0", name=op.f("ck_expert_ratings_cents")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["expert_profiles.id"],
            name=op.f("fk_expert_ratings_profile_id_expert_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["expert_categories.id"],
            name=op.f("fk_expert_ratings_category_id_expert_categories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_ratings")),
    )
    op.create_index(op.f("ix_expert_ratings_profile_id"), "expert_ratings", ["profile_id"])
    op.create_index(op.f("ix_expert_ratings_category_id"), "expert_ratings", ["category_id"])
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_search()
    else:
        create_postgresql_search()


def searchable(column: str) -> str:
    """The column's text, and where it has hyphens, once more without them (as k001)."""
    return (
        f"CASE WHEN {column} LIKE '%-%' "
        f"THEN {column} || ' ' || replace({column}, '-', '') ELSE {column} END"
    )


def create_sqlite_search() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE expert_search_fts USING fts5({FTS_COLUMNS}, "
        # Prefix indexes of two and three letters: what is typed first finds fast.
        "content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    columns = FTS_COLUMNS.split(", ")

    def row(prefix: str) -> str:
        return ", ".join([f"{prefix}.profile_id", *(searchable(f"{prefix}.{c}") for c in columns)])

    insert = f"INSERT INTO expert_search_fts(rowid, {FTS_COLUMNS}) VALUES ({row('new')});"
    forget = (
        f"INSERT INTO expert_search_fts(expert_search_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', {row('old')});"
    )
    for event, body in (("insert", insert), ("delete", forget), ("update", f"{forget} {insert}")):
        op.execute(
            f"CREATE TRIGGER expert_search_fts_{event} AFTER {event.upper()} "
            f"ON expert_search_entries BEGIN {body} END"
        )


def create_postgresql_search() -> None:
    has_icu = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'"))
        .scalar()
    )
    collate = ' COLLATE "und-x-icu"' if has_icu else ""
    text = " || ' ' || ".join(searchable(column) for column in FTS_COLUMNS.split(", "))
    lowered = f"lower(({text}){collate})"
    vector = " || ".join(
        f"to_tsvector('{config}'::regconfig, {lowered})"
        for config in ("simple", "german", "english")
    )
    op.execute(
        "ALTER TABLE expert_search_entries ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_expert_search_entries_search_vector ON expert_search_entries "
        "USING gin (search_vector)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS expert_search_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS expert_search_fts")
    op.drop_table("expert_ratings")
    op.drop_table("expert_search_categories")
    op.drop_table("expert_search_entries")
