"""Knowledge base: articles, the findings they explain, and their full-text index.

Revision ID: k001
Revises: (its own branch "knowledge"; needs the staff table of 0001)

The search index is hand-written and differs by database:

- SQLite: a contentless FTS5 table over problem, symptoms, solution and tags, kept in
  sync by three triggers. The tokenizer folds case and removes diacritics, so "Störung"
  matches "storung".
  A later migration that rebuilds `knowledge_articles` in batch mode drops the triggers
  with the old table and must create them again (`create_sqlite_search` below).
- PostgreSQL: a generated tsvector column, weighted A (problem), B (tags), C (symptoms),
  D (solution), built with the 'german' or 'english' configuration by the article's
  language, and a GIN index on it. The text is lower-cased with ICU where the server has
  it, because a database created with the C locale lower-cases ASCII letters only (and
  would keep "Ü" apart from "ü").

Both index hyphenated words a second time without the hyphen (see `searchable`).
"""

import sqlalchemy as sa
from alembic import op

from agent_portal.database import UTCDateTime

revision = "k001"
down_revision = None
branch_labels = ("knowledge",)
depends_on = "0001"

FTS_COLUMNS = "problem, symptoms, solution, tags"


def upgrade() -> None:
    op.create_table(
        "knowledge_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=False),
        sa.Column("symptoms", sa.Text(), nullable=False),
        sa.Column("solution", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("seed_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f("ck_knowledge_articles_language")),
        sa.CheckConstraint(
            "status IN ('draft', 'published')", name=op.f("ck_knowledge_articles_status")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_members.id"],
            name=op.f("fk_knowledge_articles_author_id_staff_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_articles")),
        sa.UniqueConstraint("seed_key", name=op.f("uq_knowledge_articles_seed_key")),
    )
    op.create_index(
        op.f("ix_knowledge_articles_status"), "knowledge_articles", ["status"], unique=False
    )
    op.create_table(
        "knowledge_article_findings",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["knowledge_articles.id"],
            name=op.f("fk_knowledge_article_findings_article_id_knowledge_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "finding_id", name=op.f("pk_knowledge_article_findings")
        ),
    )
    op.create_index(
        op.f("ix_knowledge_article_findings_finding_id"),
        "knowledge_article_findings",
        ["finding_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_search()
    else:
        create_postgresql_search()


def searchable(column: str) -> str:
    """The column's text, and where it has hyphens, once more without them: "Wi-Fi" and
    "E-Mail" are then found as "wifi" and "email" too, the way people also write them."""
    return (
        f"CASE WHEN {column} LIKE '%-%' "
        f"THEN {column} || ' ' || replace({column}, '-', '') ELSE {column} END"
    )


def create_sqlite_search() -> None:
    # Contentless: the index holds no copy of the text, only what it needs to find a row.
    op.execute(
        f"CREATE VIRTUAL TABLE knowledge_articles_fts USING fts5({FTS_COLUMNS}, "
        "content='', tokenize='unicode61 remove_diacritics 2')"
    )
    columns = FTS_COLUMNS.split(", ")

    def row(prefix: str) -> str:
        return ", ".join([f"{prefix}.id", *(searchable(f"{prefix}.{c}") for c in columns)])

    insert = f"INSERT INTO knowledge_articles_fts(rowid, {FTS_COLUMNS}) VALUES ({row('new')});"
    # A contentless FTS5 table forgets a row by being told the text it indexed for it.
    forget = (
        f"INSERT INTO knowledge_articles_fts(knowledge_articles_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', {row('old')});"
    )
    op.execute(
        "CREATE TRIGGER knowledge_articles_fts_insert AFTER INSERT ON knowledge_articles "
        f"BEGIN {insert} END"
    )
    op.execute(
        "CREATE TRIGGER knowledge_articles_fts_delete AFTER DELETE ON knowledge_articles "
        f"BEGIN {forget} END"
    )
    op.execute(
        "CREATE TRIGGER knowledge_articles_fts_update AFTER UPDATE ON knowledge_articles "
        f"BEGIN {forget} {insert} END"
    )


def create_postgresql_search() -> None:
    has_icu = (
        op.get_bind()
        .execute(sa.text("SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'"))
        .scalar()
    )
    collate = ' COLLATE "und-x-icu"' if has_icu else ""
    # Casts of literals, fixed when the column is defined: a generated column may only use
    # immutable expressions, and casting a column's text to regconfig is not one.
    config = "CASE WHEN language = 'de' THEN 'german'::regconfig ELSE 'english'::regconfig END"

    def weighted(column: str, weight: str) -> str:
        text = f"({searchable(column)}){collate}"
        return f"setweight(to_tsvector({config}, lower({text})), '{weight}')"

    vector = " || ".join(
        weighted(column, weight)
        for column, weight in (
            ("problem", "A"),
            ("tags", "B"),
            ("symptoms", "C"),
            ("solution", "D"),
        )
    )
    op.execute(
        "ALTER TABLE knowledge_articles ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_knowledge_articles_search_vector ON knowledge_articles "
        "USING gin (search_vector)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS knowledge_articles_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS knowledge_articles_fts")
    op.drop_index(
        op.f("ix_knowledge_article_findings_finding_id"), table_name="knowledge_article_findings"
    )
    op.drop_table("knowledge_article_findings")
    op.drop_index(op.f("ix_knowledge_articles_status"), table_name="knowledge_articles")
    op.drop_table("knowledge_articles")
