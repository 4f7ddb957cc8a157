"""A throw-away PostgreSQL server on loopback for the test session (Debian's package).

Runs as the `postgres` system user when the tests run as root, since PostgreSQL refuses to
run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def find_postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data_dir = self.root / "data"
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-w",
            "-l",
            str(self.root / "server.log"),
            "start",
        )
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class ReusedDatabase:
    """The one test database of a test process on this server, made from the migrated
    template and used by one test after the other: after each test it is emptied back to
    the template's rows and sequence values, instead of being dropped and copied anew
    (which costs PostgreSQL half a second of a busy machine, for each of hundreds of
    tests). Whatever a test leaves that emptying cannot undo (a table dropped or altered,
    a function added, rows it cannot put back) gets a fresh copy from the template."""

    def __init__(self, server_url: str, template: str) -> None:
        self.server_url = server_url  # postgresql+psycopg://... of the server's own database
        self.template = template
        self.name: str | None = None
        self._baseline: _Baseline | None = None

    def acquire(self) -> str:
        """The address of the database, as the template left it."""
        if self.name is None:
            self.name = f"test_{uuid.uuid4().hex[:16]}"
            self._admin(f"CREATE DATABASE {self.name} TEMPLATE {self.template}")
            if self._baseline is None:
                with self._connect() as connection:
                    self._baseline = _Baseline.read(connection)
        return _url(self.server_url, self.name)

    def release(self) -> None:
        """After a test: empty it for the next one, or drop it when it cannot be."""
        if self.name is None:
            return
        try:
            with self._connect() as connection:
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if not self._baseline.restore(connection):
                    self.drop()
        except psycopg.Error:
            self.drop()

    def drop(self) -> None:
        if self.name is not None:
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self.name = None

    def _admin(self, statement: str) -> None:
        with psycopg.connect(_conninfo(self.server_url), autocommit=True) as connection:
            connection.execute(statement)

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(_conninfo(_url(self.server_url, self.name)))


@dataclass
class _Baseline:
    """What the template holds besides its empty tables: the schema (as one fingerprint),
    the rows its migrations put in, each table's row count and the sequences' values."""

    fingerprint: str
    tables: list[str]
    seeded: dict[str, bytes]  # table -> its rows, in COPY's text format
    counts: tuple[int, ...]
    sequences: dict[str, int | None]

    @classmethod
    def read(cls, connection: psycopg.Connection) -> _Baseline:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]
        counts = _counts(connection, tables)
        seeded = {
            table: _copy_out(connection, table)
            for table, count in zip(tables, counts, strict=True)
            if count
        }
        sequences = dict(
            connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
        connection.rollback()
        return cls(_fingerprint(connection), tables, seeded, counts, sequences)

    def restore(self, connection: psycopg.Connection) -> bool:
        """Back to the baseline in one transaction; False (and nothing done) when the
        schema differs or the rows could not be put back as they were."""
        if _fingerprint(connection) != self.fingerprint:
            connection.rollback()
            return False
        # Foreign keys are triggers: off while emptying, so the order of tables is free.
        connection.execute("SET LOCAL session_replication_role = replica")
        connection.execute("; ".join(f'DELETE FROM "{table}"' for table in self.tables))
        connection.execute("SET LOCAL session_replication_role = DEFAULT")
        for table, rows in self.seeded.items():
            with connection.cursor().copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(rows)
        for sequence, value in self.sequences.items():
            if value is None:
                connection.execute("SELECT setval(%s::regclass, 1, false)", (f'"{sequence}"',))
            else:
                connection.execute("SELECT setval(%s::regclass, %s)", (f'"{sequence}"', value))
        if _counts(connection, self.tables) != self.counts:
            connection.rollback()
            return False
        connection.commit()
        return True


def _fingerprint(connection: psycopg.Connection) -> str:
    """Changes with any table, index, column count, constraint, trigger (and whether it
    is on) or function of the schema, and with the migrations applied."""
    return connection.execute(
        """
        SELECT md5(concat_ws('|',
          (SELECT string_agg(concat_ws(':', relname, relkind, relnatts, relfilenode),
                             ',' ORDER BY relname)
             FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind <> 'S'),
          (SELECT string_agg(conname, ',' ORDER BY conname)
             FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
          (SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname)
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'public'::regnamespace),
          (SELECT string_agg(proname, ',' ORDER BY proname)
             FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
          (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version)))
        """
    ).fetchone()[0]


def _counts(connection: psycopg.Connection, tables: list[str]) -> tuple[int, ...]:
    selects = ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables)
    return tuple(connection.execute(f"SELECT {selects}").fetchone())


def _copy_out(connection: psycopg.Connection, table: str) -> bytes:
    data = bytearray()
    with connection.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
        for block in copy:
            data += block
    return bytes(data)


def _url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _conninfo(url: str) -> str:
    """psycopg's own form of a SQLAlchemy address."""
    parsed = make_url(url)
    return f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"
