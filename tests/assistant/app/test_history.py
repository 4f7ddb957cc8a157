"""The history keeps each report with the numbers the charts draw, oldest first, and drops
the oldest when it is full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.history import HistoryStore, Metrics

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def add(store: HistoryStore, day: int, cpu: float) -> int:
    return store.add(
        report_json=f'{{"day": {day}}}',
        overall="ok",
        metrics=Metrics(cpu_percent=cpu, memory_percent=50.0, disk_percent=None, latency_ms=20.5),
        created_at=START + timedelta(days=day),
    )


def test_reports_come_back_in_order_with_their_numbers(tmp_path):
    store = HistoryStore(tmp_path / "history.db")
    first = add(store, 0, 10.0)
    add(store, 1, 20.0)

    entries = store.entries()

    assert [entry.metrics.cpu_percent for entry in entries] == [10.0, 20.0]
    assert entries[0].created_at == START
    assert entries[1].metrics.disk_percent is None
    assert store.report_json(first) == '{"day": 0}'
    store.close()


def test_the_history_survives_a_restart(tmp_path):
    store = HistoryStore(tmp_path / "history.db")
    add(store, 0, 33.0)
    store.close()

    reopened = HistoryStore(tmp_path / "history.db")
    assert [entry.metrics.cpu_percent for entry in reopened.entries()] == [33.0]
    reopened.close()


def test_a_full_history_drops_its_oldest_reports(tmp_path):
    store = HistoryStore(tmp_path / "history.db", keep=3)
    ids = [add(store, day, float(day)) for day in range(5)]

    entries = store.entries()

    assert [entry.id for entry in entries] == ids[2:]
    assert store.report_json(ids[0]) is None
    store.close()


def test_the_charts_get_only_the_newest_entries(tmp_path):
    store = HistoryStore(tmp_path / "history.db")
    for day in range(6):
        add(store, day, float(day))

    assert [entry.metrics.cpu_percent for entry in store.entries(limit=2)] == [4.0, 5.0]
    store.close()
