"""The customer's appointments reach the assistant over the real live channel: the expert
proposes one on the portal's page and the assistant (the real client, `LiveHelp`) holds
it and a notice of it at once; after the customer's yes through the server's API the
server's `appointment.changed` makes it accepted; the reminders' job's
`appointment.reminder` becomes a reminder notice; the expert's cancellation a notice of
that, and the reminder goes. The notices in plain German and English, the time in this
computer's zone with the zone named; a notice dismissed is gone, one unknown is refused."""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.database import utcnow
from assistant.escalation.appointment_view import notice_view, view
from assistant.escalation.appointments import AppointmentsClient
from assistant.i18n import translator
from isp_common import formatting
from isp_common.appointments_wire import AppointmentStatus
from tests.agent_portal.experts.appointments.support import csrf, prechat
from tests.agent_portal.experts.appointments.test_reminder_job import propose_in
from tests.support.live import wait_until
from tests.support.portal_data import TLS_CHECK

ZURICH = ZoneInfo("Europe/Zurich")
PAGE = "/portal/expert/appointments"


@pytest.fixture
def computer_in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def worded(function, *args, language: str):
    token = translator.language.set(language)
    try:
        return function(*args, language)
    finally:
        translator.language.reset(token)


def test_proposal_answer_reminder_and_cancellation_reach_the_assistant(
    portal, world, assistant_for, computer_in_new_york
):
    chat = prechat(world)
    _device, key = world.device(chat.customer)
    assistant = assistant_for(key)
    board = assistant.help.appointments
    assert board.appointments() == [] and board.notices() == []

    # The expert proposes, on the portal's page, eleven minutes ahead: inside the reminder
    # time once accepted.
    start = (utcnow() + timedelta(minutes=11)).replace(second=0, microsecond=0)
    wall = start.astimezone(ZURICH)
    expert = httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, follow_redirects=False)
    expert.cookies.set(SESSION_COOKIE, chat.expert.token)
    with expert:
        answer = expert.post(
            PAGE,
            data={
                "csrf_token": csrf(world, expert),
                "conversation_id": str(chat.conversation_id),
                "day": wall.date().isoformat(),
                "start_time": wall.strftime("%H:%M"),
                "time_zone": "Europe/Zurich",
                "duration_minutes": "30",
                "terms": "free",
            },
        )
        assert answer.status_code == 303, answer.text

        wait_until(lambda: board.notices(), what="the proposal's notice")
        (proposal,) = board.appointments()
        assert (proposal.status, proposal.starts_at) == (AppointmentStatus.proposed, start)
        (notice,) = board.notices()
        assert notice.kind == "proposed"
        when_en = formatting.moment(start, locale="en", zone="America/New_York")
        assert worded(notice_view, notice, language="en")["text"] == (
            f"Mira Keller proposes an appointment: {when_en} (America/New_York). "
            "Accept or decline it."
        )
        when_de = formatting.moment(start, locale="de", zone="America/New_York")
        assert worded(notice_view, notice, language="de")["text"] == (
            f"Mira Keller schlägt einen Termin vor: {when_de} (America/New_York). "
            "Nehmen Sie ihn an oder lehnen Sie ihn ab."
        )
        shown = worded(view, proposal, language="en")
        assert (shown["when"], shown["zone"], shown["conversation_id"]) == (
            when_en,
            "America/New_York",
            chat.conversation_id,
        )

        # The customer's yes through the server's API: the frame makes it accepted here,
        # and the proposal's notice is gone. The reminders' job runs every few seconds, so
        # its reminder may already be there by the first look.
        client = AppointmentsClient(portal.url, key)
        client.answer(proposal.id, "accept")
        client.close()
        wait_until(
            lambda: (
                board.appointments()[0].status is AppointmentStatus.accepted
                and all(notice.kind == "reminder" for notice in board.notices())
            ),
            what="the appointment accepted, the proposal's notice gone",
        )

        # The reminders' job runs in the portal: its frame is a reminder notice.
        wait_until(lambda: board.notices(), what="the reminder", timeout=20)
        (reminder,) = board.notices()
        assert reminder.kind == "reminder"
        assert worded(notice_view, reminder, language="en")["text"] == (
            f"Reminder: your appointment with Mira Keller begins soon, {when_en} "
            "(America/New_York)."
        )
        assert worded(notice_view, reminder, language="de")["text"] == (
            f"Erinnerung: Ihr Termin mit Mira Keller beginnt bald, {when_de} (America/New_York)."
        )

        # The expert cancels: a notice says so, the reminder goes.
        cancelled = expert.post(
            f"{PAGE}/{proposal.id}/cancel", data={"csrf_token": csrf(world, expert)}
        )
        assert cancelled.status_code == 303, cancelled.text
    wait_until(lambda: [n.kind for n in board.notices()] == ["cancelled"], what="the cancellation")
    assert board.appointments()[0].status is AppointmentStatus.cancelled
    (gone,) = board.notices()
    assert worded(notice_view, gone, language="de")["text"] == (
        f"Mira Keller hat den Termin vom {when_de} (America/New_York) abgesagt."
    )
    assert worded(notice_view, gone, language="en")["text"] == (
        f"Mira Keller cancelled the appointment of {when_en} (America/New_York)."
    )
    assert board.dismiss(gone.key) is True
    assert board.notices() == []
    assert board.dismiss(gone.key) is False  # no such notice any more


def test_the_assistant_reads_the_open_proposals_when_it_connects(portal, world, assistant_for):
    """A proposal made while the computer was off is there once the assistant connects,
    without a notice (the Experts tab and the conversation show it)."""
    chat = prechat(world)
    _device, key = world.device(chat.customer)
    made = propose_in(world, chat, timedelta(days=2), accept=False)
    assistant = assistant_for(key)
    board = assistant.help.appointments
    wait_until(lambda: board.appointments(), what="the proposal read")
    assert [a.id for a in board.appointments()] == [made]
    assert board.notices() == []
