"""The search index of experts is the hand-written full-text index of migration e100 on
each database, kept by the database itself: an entry written is found, one removed is
not, on SQLite through triggers and on PostgreSQL through a generated column."""

from __future__ import annotations

from sqlalchemy import inspect, text

from agent_portal.database import make_engine


def test_the_full_text_index_exists_on_each_database(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            objects = dict(
                connection.execute(
                    text("SELECT name, type FROM sqlite_master WHERE name LIKE 'expert_search%'")
                ).all()
            )
            assert objects["expert_search_fts"] == "table"
            for trigger in ("insert", "update", "delete"):
                assert objects[f"expert_search_fts_{trigger}"] == "trigger"
        else:
            columns = {c["name"] for c in inspect(connection).get_columns("expert_search_entries")}
            assert "search_vector" in columns
            indexes = {i["name"] for i in inspect(connection).get_indexes("expert_search_entries")}
            assert "ix_expert_search_entries_search_vector" in indexes
    engine.dispose()
