"""The list of what the customer shared, and with whom, outlives the assistant: each
request with who asked, when, the answer and how it ended, read back after a restart; a
damaged file starts a new list instead of stopping the assistant. The server's record
completes it (requests to the customer's other computers) and corrects it where only the
server knows (a "Share" after the time to answer ran out shared nothing); the assistant's
own, more precise reasons stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.escalation.consent import Question
from assistant.escalation.share_history import ShareHistory
from isp_common.consent_wire import ConsentHistoryEntry

THIS_COMPUTER, LAPTOP = "dev-this", "dev-laptop"
ASKED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


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


def recorded(consent_id: str, status: str, *, minute: int = 0, **fields) -> ConsentHistoryEntry:
    """The server's record of one request, asked `minute` minutes after nine."""
    asked_at = ASKED + timedelta(minutes=minute)
    defaults = {
        "kind": "screen_view",
        "device_id": THIS_COMPUTER,
        "device_name": "Wohnzimmer-PC",
        "requester_name": "Erik Expert",
        "requester_role": "expert",
        "reason": "Your e-mail shows an error",
        "asked_at": asked_at,
    }
    return ConsentHistoryEntry(consent_id=consent_id, status=status, **(defaults | fields))


def test_the_servers_record_adds_the_other_computers_requests_in_order(tmp_path):
    path = tmp_path / "shared.json"
    history = ShareHistory(path, clock=Clock())  # this computer's own request at 10:01
    history.asked(question("v-here"))
    history.answered("v-here", "declined")
    history.ended("v-here", "declined")  # the channel's word that it is over
    laptop = recorded(
        "v-laptop",
        "revoked",
        minute=30,
        device_id=LAPTOP,
        device_name="Laptop",
        choice="window",
        answered_at=ASKED + timedelta(minutes=31),
        closed_at=ASKED + timedelta(minutes=40),
    )
    ran_out = recorded("v-closed", "timed_out", minute=5)  # the assistant was closed

    assert history.merge([laptop, ran_out], own_device_id=THIS_COMPUTER)

    rows = ShareHistory(path).entries()  # kept for the next start too
    assert [row.consent_id for row in rows] == ["v-here", "v-laptop", "v-closed"]
    here, on_laptop, closed = rows
    assert (on_laptop.device_name, on_laptop.answer, on_laptop.choice) == (
        "Laptop",
        "granted",
        "window",
    )
    assert (on_laptop.stopped_at, on_laptop.stop_reason) == (
        "2026-12-03T09:40:00+00:00",
        "revoked",
    )
    assert on_laptop.requester_role == "expert"
    assert (closed.answer, closed.stopped_at, closed.device_name) == ("unanswered", None, "")
    assert (here.answer, here.stopped_at) == ("declined", None)  # a "no" has no end
    # The same record again changes nothing and writes nothing.
    assert not history.merge([laptop, ran_out], own_device_id=THIS_COMPUTER)


def test_a_share_the_server_did_not_take_is_shown_as_nothing_shared(tmp_path):
    """The customer chose "Share" just after the time to answer ran out at the server."""
    history = ShareHistory(tmp_path / "shared.json", clock=Clock())
    history.asked(question("v1"))
    history.answered("v1", "granted", choice="screen")
    history.ended("v1", "relay_closed")

    history.merge([recorded("v1", "timed_out")], own_device_id=THIS_COMPUTER)

    (entry,) = history.entries()
    assert (entry.answer, entry.stopped_at, entry.stop_reason) == ("unanswered", None, None)


def test_the_assistants_own_reasons_stay_and_the_server_cannot_go_back(tmp_path):
    history = ShareHistory(tmp_path / "shared.json", clock=Clock())
    history.asked(question("v1"))
    history.answered("v1", "granted", choice="screen")
    history.ended("v1", "signed_out")  # the server says only "revoked"
    history.asked(question("c1", "control"))
    history.ended("c1", "unavailable:not_viewing")  # the server says only "refused"
    history.asked(question("v2"))
    history.answered("v2", "granted", choice="screen")
    history.ended("v2", "revoked")  # the server has not heard it yet: still granted
    history.asked(question("v3"))  # the dialog is open; the server waits too

    history.merge(
        [
            recorded("v1", "revoked", answered_at=ASKED, closed_at=ASKED + timedelta(minutes=3)),
            recorded("c1", "refused", kind="control", answered_at=ASKED),
            recorded("v2", "granted", choice="screen", answered_at=ASKED),
            recorded("v3", "pending"),
        ],
        own_device_id=THIS_COMPUTER,
    )

    rows = {entry.consent_id: entry for entry in history.entries()}
    assert (rows["v1"].stop_reason, rows["v1"].stopped_at) == (
        "signed_out",
        "2026-12-03T09:03:00+00:00",
    )
    assert rows["c1"].answer == "unavailable"
    assert (rows["v2"].answer, rows["v2"].stop_reason) == ("granted", "revoked")
    assert rows["v2"].stopped_at is not None
    assert (rows["v3"].answer, rows["v3"].answered_at) == ("pending", None)


def test_a_request_withdrawn_or_ended_by_the_server_says_why():
    history = ShareHistory(None)
    history.merge(
        [
            recorded("v1", "ended", end_reason="withdrawn"),  # before any answer
            recorded(
                "c1",
                "ended",
                kind="control",
                end_reason="parent_closed",
                answered_at=ASKED,
                closed_at=ASKED + timedelta(minutes=2),
            ),
        ],
        own_device_id=THIS_COMPUTER,
    )
    rows = {entry.consent_id: entry for entry in history.entries()}
    assert (rows["v1"].answer, rows["v1"].stopped_at) == ("withdrawn", None)
    assert (rows["c1"].answer, rows["c1"].stop_reason) == ("granted", "parent_closed")
