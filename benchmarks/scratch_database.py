"""A database of its own for one benchmark run, so a run never meets an earlier one's rows.

SQLite (no URL given) lives in the run's temporary folder anyway. For PostgreSQL the
benchmark gets a fresh database on the server the URL names, dropped again at the end;
the URL's own database is only used to create and drop it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


@contextmanager
def scratch_database(database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        yield database_url
        return
    server_url = make_url(database_url)
    name = f"benchmark_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
