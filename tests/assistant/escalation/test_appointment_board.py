"""The assistant's appointment board reads the server's list at every (re)connect while
frames keep arriving: a list read before a frame must not undo what the frame said (an
accepted appointment shown as "proposed" again), and it still adds and drops what the
server lists. The list is read on a thread, as the board does; the test holds it back
until the frame has come."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

from assistant.escalation.appointment_board import AppointmentBoard
from isp_common.appointments_wire import (
    APPOINTMENT_CHANGED,
    AppointmentNotice,
    AppointmentStatus,
    AppointmentTerms,
    AppointmentView,
)


class Registrations:
    """What the board asks of the live channel: where to send frames and connections."""

    def __init__(self) -> None:
        self.handlers = {}

    def on(self, kind, handler) -> None:
        self.handlers[kind] = handler

    def on_connected(self, handler) -> None:
        self.handlers["connected"] = handler


def appointment(appointment_id: int, status: AppointmentStatus) -> AppointmentView:
    return AppointmentView(
        id=appointment_id,
        conversation_id=7,
        expert_name="Mira Keller",
        starts_at=datetime(2027, 1, 5, 9, 30, tzinfo=UTC) + timedelta(days=appointment_id),
        duration_minutes=30,
        time_zone="Europe/Zurich",
        terms=AppointmentTerms.free,
        currency="CHF",
        status=status,
    )


class SlowList:
    """The server's list as `load` reads it, held back until told: `listed` is what the
    server had when it was asked."""

    def __init__(self, listed: list[AppointmentView]) -> None:
        self.listed = listed
        self.asked, self.answer = threading.Event(), threading.Event()

    def read(self) -> list[AppointmentView]:
        self.asked.set()
        self.answer.wait(5)
        return self.listed


def reload_with_frame_meanwhile(board, channel, server_list: SlowList, frame) -> None:
    """A reload asks for the list, the frame arrives, then the list comes."""

    async def scenario():
        reload = asyncio.create_task(board.reload())
        await asyncio.to_thread(server_list.asked.wait, 5)
        channel.handlers[APPOINTMENT_CHANGED](frame)
        server_list.answer.set()
        await reload

    asyncio.run(scenario())


def test_a_frame_that_comes_while_the_list_is_read_is_not_undone_by_it():
    channel = Registrations()
    server_list = SlowList([appointment(1, AppointmentStatus.proposed)])
    board = AppointmentBoard(channel, load=server_list.read)
    accepted = appointment(1, AppointmentStatus.accepted)
    reload_with_frame_meanwhile(
        board,
        channel,
        server_list,
        frame=AppointmentNotice(type=APPOINTMENT_CHANGED, appointment=accepted),
    )
    assert board.appointments() == [accepted]
    assert board.notices() == []  # no "new proposal" notice for it either


def test_a_reload_adds_what_the_server_lists_and_drops_what_it_no_longer_does():
    channel = Registrations()
    server_list = SlowList([appointment(2, AppointmentStatus.accepted)])
    board = AppointmentBoard(channel, load=server_list.read)
    board.update(appointment(1, AppointmentStatus.accepted))  # gone from the server since
    proposed_meanwhile = appointment(3, AppointmentStatus.proposed)
    reload_with_frame_meanwhile(
        board,
        channel,
        server_list,
        frame=AppointmentNotice(type=APPOINTMENT_CHANGED, appointment=proposed_meanwhile),
    )
    assert [view.id for view in board.appointments()] == [2, 3]
