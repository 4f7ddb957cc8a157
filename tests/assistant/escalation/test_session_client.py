"""The assistant's side of a paid session's commands, on its own channel before any server
answers: a command keeps its command_id until the server answers it (the live test sends it
across a real dropped connection, test_paid_session_live.py); the page asking again with the
same id waits for the same answer, or gets it again; a refusal comes back as the server's
code; and a proposal to confirm or the expert's request to resume brings the window
forward, once for each."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from assistant.escalation.channel import DeviceChannel
from assistant.escalation.desk import LiveDesk
from assistant.escalation.errors import ServerRefused
from assistant.escalation.live_help import LiveHelp
from assistant.escalation.paid_sessions import SessionClient, new_command_id
from isp_common.live_wire import ErrorMessage
from isp_common.paid_sessions_wire import SessionAck, SessionConfirm
from tests.assistant.escalation.test_session_view import meter, proposal

NOBODY = "http://127.0.0.1:9"  # no server: nothing this channel sends arrives


def offline_channel() -> DeviceChannel:
    return DeviceChannel(server_url=NOBODY, device_key=None)


def test_a_command_keeps_its_id_until_answered_and_a_repeat_gets_the_same_answer():
    async def scenario():
        channel = offline_channel()
        changes = []
        sessions = SessionClient(channel, on_change=lambda: changes.append(1), retry_seconds=0.1)
        confirm = SessionConfirm(command_id=new_command_id(), session_id=4, maximum=2250)
        with pytest.raises(TimeoutError):
            await sessions.command(confirm, timeout=0.3)
        assert sessions.waiting(4) == [confirm]  # still on its way, with its id
        assert changes  # the page shows it as on its way

        # The page asks again with the same id: it waits for the one answer.
        again = asyncio.create_task(sessions.command(confirm, timeout=5))
        await asyncio.sleep(0.05)
        ack = SessionAck(command_id=confirm.command_id, session_id=4, meter=meter())
        await channel._dispatch(ack)
        assert await again == ack
        assert sessions.waiting(4) == []
        assert sessions.session(4).meter.status.value == "running"
        # Asked once more after the answer: the same answer, nothing sent again.
        assert await sessions.command(confirm, timeout=0.1) == ack
        await sessions.stop()

    asyncio.run(scenario())


def test_a_refusal_answers_with_the_servers_code_and_frees_the_id():
    async def scenario():
        channel = offline_channel()
        sessions = SessionClient(channel)
        confirm = SessionConfirm(command_id=new_command_id(), session_id=4, maximum=100)
        waiting = asyncio.create_task(sessions.command(confirm, timeout=5))
        await asyncio.sleep(0.05)
        refusal = ErrorMessage(
            code="session_maximum_too_low",
            message="The maximum must be at least CHF 1.50.",
            request_id=confirm.command_id,
        )
        await channel._dispatch(refusal)
        with pytest.raises(ServerRefused) as refused:
            await waiting
        assert refused.value.code == "session_maximum_too_low"
        assert sessions.waiting(4) == []
        await sessions.stop()

    asyncio.run(scenario())


def test_an_older_meter_arriving_late_does_not_undo_a_newer_one():
    async def scenario():
        channel = offline_channel()
        sessions = SessionClient(channel)
        later = meter(amount=900, as_of=datetime(2030, 1, 15, 13, 1, tzinfo=UTC))
        await channel._dispatch(later)
        await channel._dispatch(meter(amount=750, as_of=later.as_of - timedelta(seconds=5)))
        assert sessions.latest(9).meter.amount == 900

    asyncio.run(scenario())


def test_a_proposal_and_a_request_to_resume_bring_the_window_forward_once_each():
    async def scenario():
        forward = []
        desk = LiveDesk(
            premium=None,
            language=lambda: "en",
            run_checks=None,
            describe_checks=None,
            on_question=lambda: forward.append(1),
        )
        desk.help = LiveHelp(
            server_url=NOBODY, device_key=None, consent=None, on_session=desk._on_session
        )
        channel = desk.help.channel
        await channel._dispatch(proposal())
        await channel._dispatch(proposal())  # said again: already forward
        assert len(forward) == 1
        assert desk.view()["conversations"] == []  # no chat known yet: nothing breaks
        await channel._dispatch(meter())
        assert len(forward) == 1
        asked = meter(status="paused", paused_reason="expert", resume_requested=True)
        await channel._dispatch(asked)
        assert len(forward) == 2
        await channel._dispatch(meter(status="running"))
        await channel._dispatch(asked.model_copy(update={"as_of": asked.as_of}))
        assert len(forward) == 3  # asked again after going on

    asyncio.run(scenario())
