"""Brings a database to the newest schema with Alembic; the server calls it at start.

Under the installation's migration lock (`agent_portal.jobs.locks`): of several workers
starting together, one migrates while the others wait, and then find the schema current.

`python -m agent_portal.migrate revision -m "what changed"` writes a new migration from the
difference between the models and a scratch SQLite database at the current head.
"""

from __future__ import annotations

import sys
import tempfile
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from sqlalchemy import Engine

from agent_portal.database import make_engine
from agent_portal.jobs.locks import cluster_locks

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    return config


MIGRATION_LOCK = "migrations"


def upgrade_to_head(engine: Engine) -> None:
    # No time limit: a long migration in another worker is waited for, not raced.
    lock = cluster_locks(engine).held(MIGRATION_LOCK, wait_seconds=None)
    with lock, engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        if _nothing_to_apply(tuple(sorted(current))):
            return  # every start after the first: no need to load every migration again
        command.upgrade(alembic_config(engine, connection), "heads")


@cache
def _nothing_to_apply(current: tuple[str, ...]) -> bool:
    """Whether a database whose version table names `current` has every revision. The
    table names only revisions nothing applied depends on, so that is: every revision is
    below what it names. A revision this code does not know is left to alembic to report."""
    if not current:
        return False
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    try:
        applied = {rev.revision for rev in script.revision_map.iterate_revisions(current, "base")}
    except RevisionError:
        return False
    return applied >= {rev.revision for rev in script.walk_revisions()}


def main_line_head(config: Config) -> str:
    """Where a new migration goes: after the head of the main line. A domain may keep its
    migrations on a labelled branch of their own (e.g. "knowledge"); those heads are not
    followed, so the main line stays one line. A label counts where its file declares it:
    alembic also lends it to the revisions after it, so the main line revision that joins a
    finished branch (0006 joins d001) would otherwise look labelled; and a later revision
    of a labelled branch (s002 after s001) declares none of its own."""
    script = ScriptDirectory.from_config(config)
    on_main_line = [head for head in script.get_heads() if _unlabelled_to_base(script, head)]
    return on_main_line[0] if len(on_main_line) == 1 else "head"


def _unlabelled_to_base(script: ScriptDirectory, revision_id: str) -> bool:
    """Whether some line of `down_revision`s from here reaches the base without passing a
    revision whose file declares a branch label."""
    revision = script.get_revision(revision_id)
    if getattr(revision.module, "branch_labels", None):
        return False
    below = revision.down_revision
    if below is None:
        return True
    below = (below,) if isinstance(below, str) else below
    return any(_unlabelled_to_base(script, down) for down in below)


def write_revision(message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade_to_head(engine)
        with engine.begin() as connection:
            config = alembic_config(engine, connection)
            command.revision(
                config, message=message, autogenerate=True, head=main_line_head(config)
            )
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "revision" and sys.argv[2] == "-m":
        write_revision(sys.argv[3])
    else:
        sys.exit('usage: python -m agent_portal.migrate revision -m "message"')
