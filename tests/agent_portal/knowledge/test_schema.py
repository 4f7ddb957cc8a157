"""Migration k001 creates exactly the tables the knowledge models describe, on both
databases, plus the hand-written full-text index the models leave out; and Alembic's
autogenerate neither drops that index nor grows a second main line because of it."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from agent_portal.database import Base, make_engine
from agent_portal.knowledge.models import HAND_WRITTEN_SEARCH_OBJECTS
from agent_portal.migrate import alembic_config, main_line_head, upgrade_to_head

KNOWLEDGE_TABLES = {"knowledge_articles", "knowledge_article_findings"}


def include_name(name, _type, _parents) -> bool:
    # The full-text index differs by database (FTS5 table or tsvector column) and is not in
    # the models; migrations/env.py skips the same names for autogenerate.
    return name not in HAND_WRITTEN_SEARCH_OBJECTS


def test_migration_matches_the_models(database_url):
    assert set(Base.metadata.tables) >= KNOWLEDGE_TABLES
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        differences = compare_metadata(context, Base.metadata)
        unfiltered = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
        indexes = {
            index["name"]: index["column_names"]
            for index in inspect(connection).get_indexes("knowledge_article_findings")
        }
    engine.dispose()
    ours = [diff for diff in differences if any(t in repr(diff) for t in KNOWLEDGE_TABLES)]
    assert ours == [], f"migration k001 and the knowledge models differ: {ours}"
    assert indexes["ix_knowledge_article_findings_finding_id"] == ["finding_id"]
    # Without the filter, the search index would be seen as something to drop.
    assert any("fts" in repr(diff) or "search_vector" in repr(diff) for diff in unfiltered)


def test_the_full_text_index_exists_on_each_database(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            objects = dict(
                connection.execute(
                    text("SELECT name, type FROM sqlite_master WHERE name LIKE 'knowledge_%'")
                ).all()
            )
            assert objects["knowledge_articles_fts"] == "table"
            for trigger in ("insert", "update", "delete"):
                assert objects[f"knowledge_articles_fts_{trigger}"] == "trigger"
        else:
            columns = {c["name"]: c for c in inspect(connection).get_columns("knowledge_articles")}
            assert "search_vector" in columns
            index = connection.execute(
                text(
                    "SELECT indexdef FROM pg_indexes "
                    "WHERE indexname = 'ix_knowledge_articles_search_vector'"
                )
            ).scalar_one()
            assert "USING gin (search_vector)" in index
    engine.dispose()


def test_new_migrations_continue_the_main_line_not_the_knowledge_branch(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    knowledge_head = script.get_revision("knowledge@head").revision
    assert knowledge_head in heads and len(heads) >= 2
    head = main_line_head(config)
    assert head in heads and head != knowledge_head
    assert "0001" in {rev.revision for rev in script.iterate_revisions(head, "base")}
    engine.dispose()


def test_the_knowledge_branch_can_be_taken_back_and_applied_again(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "knowledge@base")
    tables = set(inspect(engine).get_table_names())
    assert not {t for t in tables if t.startswith("knowledge_")}
    assert "staff_members" in tables  # the main line stays
    upgrade_to_head(engine)
    assert set(inspect(engine).get_table_names()) >= KNOWLEDGE_TABLES
    engine.dispose()
