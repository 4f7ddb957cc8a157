"""Expert search on SQLite: each entry's words, as FTS5 reads them, in a table of their own,
so a word that many entries contain is asked of each entry while a group is read in rank
order, one look into the primary key (profile, word), instead of listing all its matches
first (`agent_portal.expert_search.word_table`).

The words are FTS5's own: the triggers put an entry's text into a scratch FTS5 table with
the same tokenizer and read its words back through an fts5vocab table, then empty it; the
words of the entries already there are read from the full-text table itself. A change of
only the rank (score, ratings) leaves the words alone. PostgreSQL searches its tsvector
as before and gets nothing here.

Revision ID: e102
Revises: e101
"""

from alembic import op

revision = "e102"
down_revision = "e101"
branch_labels = None
depends_on = None

ENTRIES = "expert_search_entries"
TERMS = "expert_search_terms"
SCRATCH = "expert_search_scratch"
SCRATCH_WORDS = "expert_search_scratch_words"
FTS_TABLE = "expert_search_fts"
FTS_COLUMNS = "display_name, categories, keywords, slogan, texts"
TRIGGERS = ("insert", "delete", "update")


def searchable(column: str) -> str:
    """The column's text, and where it has hyphens, once more without them (as e100)."""
    return (
        f"CASE WHEN {column} LIKE '%-%' "
        f"THEN {column} || ' ' || replace({column}, '-', '') ELSE {column} END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE TABLE {TERMS} (profile_id INTEGER NOT NULL, term TEXT NOT NULL, "
        "PRIMARY KEY (profile_id, term)) WITHOUT ROWID"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE {SCRATCH} USING fts5({FTS_COLUMNS}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(f"CREATE VIRTUAL TABLE {SCRATCH_WORDS} USING fts5vocab({SCRATCH}, 'row')")
    texts = ", ".join(searchable(f"new.{column}") for column in FTS_COLUMNS.split(", "))
    read = (
        f"INSERT INTO {SCRATCH}(rowid, {FTS_COLUMNS}) VALUES (new.profile_id, {texts}); "
        f"INSERT INTO {TERMS}(profile_id, term) SELECT new.profile_id, term FROM {SCRATCH_WORDS}; "
        f"DELETE FROM {SCRATCH};"
    )
    forget = f"DELETE FROM {TERMS} WHERE profile_id = old.profile_id;"
    bodies = {"insert": read, "delete": forget, "update": forget + " " + read}
    for event in TRIGGERS:
        when = f"UPDATE OF {FTS_COLUMNS}" if event == "update" else event.upper()
        op.execute(
            f"CREATE TRIGGER {TERMS}_{event} AFTER {when} ON {ENTRIES} BEGIN {bodies[event]} END"
        )
    # The entries already indexed: their words from the full-text table, in one pass.
    words = "temp.expert_search_fts_words"
    op.execute(f"CREATE VIRTUAL TABLE {words} USING fts5vocab(main, {FTS_TABLE}, 'instance')")
    op.execute(f"INSERT INTO {TERMS}(profile_id, term) SELECT DISTINCT doc, term FROM {words}")
    op.execute(f"DROP TABLE {words}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for event in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {TERMS}_{event}")
    op.execute(f"DROP TABLE IF EXISTS {SCRATCH_WORDS}")
    op.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    op.execute(f"DROP TABLE IF EXISTS {TERMS}")
