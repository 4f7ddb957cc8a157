"""The history of reports on this computer, in a small SQLite file (SQLAlchemy Core).

Each row keeps the whole report as JSON, for showing or exporting it again later, plus the
few numbers the history charts draw, so the charts never parse old reports. The table is
created at start: the file belongs to this computer alone and is small, so a simple
schema without migrations is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)

metadata = MetaData()
reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("overall", String(16), nullable=False),
    Column("cpu_percent", Float),
    Column("memory_percent", Float),
    Column("disk_percent", Float),
    Column("latency_ms", Float),
    Column("report_json", Text, nullable=False),
)

# Enough for a year of daily checks; older reports are dropped as new ones arrive.
DEFAULT_KEEP = 500


@dataclass(frozen=True)
class Metrics:
    """The numbers one report contributes to the charts; None where it could not measure."""

    cpu_percent: float | None = None
    memory_percent: float | None = None
    disk_percent: float | None = None
    latency_ms: float | None = None


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    created_at: datetime
    overall: str
    metrics: Metrics


class HistoryStore:
    def __init__(self, path: Path, keep: int = DEFAULT_KEEP) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.engine = create_engine(f"sqlite:///{self.path}")
        event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def add(self, *, report_json: str, overall: str, metrics: Metrics, created_at: datetime) -> int:
        values = {
            "created_at": created_at.astimezone(UTC),
            "overall": overall,
            "cpu_percent": metrics.cpu_percent,
            "memory_percent": metrics.memory_percent,
            "disk_percent": metrics.disk_percent,
            "latency_ms": metrics.latency_ms,
            "report_json": report_json,
        }
        with self.engine.begin() as connection:
            new_id = connection.execute(insert(reports).values(**values)).inserted_primary_key[0]
            count = connection.execute(select(func.count()).select_from(reports)).scalar_one()
            if count > self.keep:
                oldest = (
                    select(reports.c.id).order_by(reports.c.id).limit(count - self.keep)
                ).scalar_subquery()
                connection.execute(delete(reports).where(reports.c.id.in_(oldest)))
        return int(new_id)

    def entries(self, limit: int = 100) -> list[HistoryEntry]:
        """The newest `limit` entries, oldest first (the order a chart reads them in)."""
        query = (
            select(
                reports.c.id,
                reports.c.created_at,
                reports.c.overall,
                reports.c.cpu_percent,
                reports.c.memory_percent,
                reports.c.disk_percent,
                reports.c.latency_ms,
            )
            .order_by(reports.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            HistoryEntry(
                id=row.id,
                created_at=_as_utc(row.created_at),
                overall=row.overall,
                metrics=Metrics(
                    cpu_percent=row.cpu_percent,
                    memory_percent=row.memory_percent,
                    disk_percent=row.disk_percent,
                    latency_ms=row.latency_ms,
                ),
            )
            for row in reversed(rows)
        ]

    def report_json(self, entry_id: int) -> str | None:
        query = select(reports.c.report_json).where(reports.c.id == entry_id)
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one_or_none()

    def close(self) -> None:
        self.engine.dispose()


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL keeps the file readable by the history page while a run writes its report.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
