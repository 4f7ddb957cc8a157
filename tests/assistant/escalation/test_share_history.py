"""The list of what the customer shared, and with whom, outlives the assistant: each
request with who asked, when, the answer and how it ended, read back after a restart; a
damaged file starts a new list instead of stopping the assistant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.escalation.consent import Question
from assistant.escalation.share_history import ShareHistory


def question(consent_id: str, kind: str = "screen_view") -> Question:
    return Question(
        consent_id=consent_id,
        kind=kind,
        requester_name="Erik Expert",
        requester_role="expert",
        reason="Your e-mail shows an error",
        items=[],
        answer_by=datetime(2026, 12, 3, 10, 2, tzinfo=UTC),
        lasts_seconds=None,
    )


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def test_what_was_shared_is_read_back_after_a_restart(tmp_path):
    path = tmp_path / "shared.json"
    history = ShareHistory(path, clock=Clock())
    history.asked(question("v1"))
    history.answered("v1", "granted", choice="window")
    history.ended("v1", "revoked")
    history.asked(question("v2"))
    history.ended("v2", "unanswered")  # no answer in time: a refusal, never a grant
    history.asked(question("c1", "control"))
    history.ended("c1", "unavailable:not_viewing")

    again = ShareHistory(path)
    rows = {entry.consent_id: entry for entry in again.entries()}
    assert [entry.consent_id for entry in again.entries()] == ["c1", "v2", "v1"]
    assert (rows["v1"].answer, rows["v1"].choice) == ("granted", "window")
    assert rows["v1"].asked_at == "2026-12-03T10:01:00+00:00"
    assert (rows["v1"].stopped_at, rows["v1"].stop_reason) == (
        "2026-12-03T10:03:00+00:00",
        "revoked",
    )
    assert (rows["v2"].answer, rows["v2"].stopped_at) == ("unanswered", None)
    assert rows["c1"].answer == "unavailable"
    assert rows["v1"].requester_name == "Erik Expert"


def test_a_damaged_file_starts_a_new_list(tmp_path):
    path = tmp_path / "shared.json"
    path.write_text("{not json", encoding="utf-8")
    history = ShareHistory(path)
    assert history.entries() == []
    history.asked(question("v1"))
    assert [entry.consent_id for entry in ShareHistory(path).entries()] == ["v1"]
