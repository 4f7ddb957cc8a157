"""Expert search reads each group of a page (online experts, the others) in rank order and
stops at the page's size: the rank index carries what a search filters on (the expert,
the languages, the prices), so the entries it passes over are read from the index alone.

On SQLite the full-text table gets prefix indexes of four and five letters besides two and
three: a word being typed ("pass", "netzw") finds its entries in one prefix list instead of
merging the lists of every word it begins ("passwort", "password", "passwörter"). The
table is contentless, so it is filled anew from the entries, as e100's triggers write it.

Revision ID: e101
Revises: e100
"""

from alembic import op

revision = "e101"
down_revision = "e100"
branch_labels = None
depends_on = None

TABLE = "expert_search_entries"
INDEX = "ix_expert_search_entries_rank"
RANK = ["score", "profile_id"]
FILTERED = ["staff_id", "languages", "price_per_minute", "price_per_session"]
FTS_TABLE = "expert_search_fts"
FTS_COLUMNS = "display_name, categories, keywords, slogan, texts"


def upgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, [*RANK, *FILTERED])
    if op.get_bind().dialect.name == "sqlite":
        rebuild_fts("2 3 4 5")


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.create_index(INDEX, TABLE, RANK)
    if op.get_bind().dialect.name == "sqlite":
        rebuild_fts("2 3")


def searchable(column: str) -> str:
    """The column's text, and where it has hyphens, once more without them (as e100)."""
    return (
        f"CASE WHEN {column} LIKE '%-%' "
        f"THEN {column} || ' ' || replace({column}, '-', '') ELSE {column} END"
    )


def rebuild_fts(prefixes: str) -> None:
    """The full-text table with these prefix indexes, filled from the entries. e100's
    triggers name the table and keep writing the new one."""
    op.execute(f"DROP TABLE {FTS_TABLE}")
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({FTS_COLUMNS}, "
        f"content='', tokenize='unicode61 remove_diacritics 2', prefix='{prefixes}')"
    )
    texts = ", ".join(searchable(column) for column in FTS_COLUMNS.split(", "))
    op.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, {FTS_COLUMNS}) SELECT profile_id, {texts} FROM {TABLE}"
    )
