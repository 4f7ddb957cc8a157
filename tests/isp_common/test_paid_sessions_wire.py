"""The paid-session frames travel in the channel's unions: what one side sends, the other
reads back as the same frame, and a command without its `command_id` is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from isp_common import live_wire
from isp_common import paid_sessions_wire as wire

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _meter(**changes) -> wire.SessionMeter:
    values = dict(
        session_id=3,
        conversation_id=7,
        status=wire.SessionStatus.running,
        terms=wire.SessionTerms.per_minute,
        price=150,
        currency="CHF",
        billing_rule=wire.BillingRule.second,
        billed_seconds=90,
        amount=225,
        maximum=1000,
        remaining=775,
        as_of=NOW,
    )
    values.update(changes)
    return wire.SessionMeter(**values)


@pytest.mark.parametrize(
    "frame",
    [
        wire.SessionProposal(
            session_id=3,
            conversation_id=7,
            expert_name="Eva",
            proposed_by=wire.Party.expert,
            terms=wire.SessionTerms.per_minute,
            price=150,
            currency="CHF",
            billing_rule=wire.BillingRule.started_minute,
            billing_text="Each started minute is billed in full.",
            minimum_maximum=150,
            spending_left=20000,
            proposed_at=NOW,
        ),
        _meter(warning=True, paused_reason=wire.PauseReason.maximum),
        wire.SessionSummary(
            session_id=3,
            conversation_id=7,
            expert_name="Eva",
            terms=wire.SessionTerms.fixed,
            currency="EUR",
            billed_seconds=600,
            minutes=10,
            amount=5000,
            waived=1000,
            charged=4000,
            tip=500,
            total=4500,
            split=wire.FeeSplit(expert=3200, platform_fee=800, fee_percent="20"),
            ended_by=wire.Party.customer,
            ended_at=NOW,
        ),
        wire.SessionAck(command_id="c-1", session_id=3, meter=_meter()),
    ],
)
def test_server_frames_read_back_as_sent(frame):
    parsed = live_wire.server_message.validate_json(frame.model_dump_json())
    assert parsed == frame


@pytest.mark.parametrize(
    "frame",
    [
        wire.SessionPropose(command_id="a", conversation_id=7, appointment_id=4),
        wire.SessionConfirm(command_id="b", session_id=3, maximum=3000),
        wire.SessionDecline(command_id="c", session_id=3),
        wire.SessionPause(command_id="d", session_id=3),
        wire.SessionResume(command_id="e", session_id=3),
        wire.SessionRaise(command_id="f", session_id=3, amount=2000),
        wire.SessionEnd(command_id="g", session_id=3),
        wire.SessionTip(command_id="h", session_id=3, amount=200),
    ],
)
def test_device_commands_read_back_as_sent(frame):
    assert live_wire.device_message.validate_json(frame.model_dump_json()) == frame


@pytest.mark.parametrize(
    "data",
    [
        {"type": "session.end", "session_id": 3},  # no command_id
        {"type": "session.end", "session_id": 3, "command_id": ""},
        {"type": "session.end", "session_id": 3, "command_id": "x" * 65},
        {"type": "session.confirm", "session_id": 3, "command_id": "a", "maximum": 0},
        {"type": "session.tip", "session_id": 3, "command_id": "a", "amount": -5},
    ],
)
def test_bad_commands_are_refused(data):
    with pytest.raises(ValidationError):
        live_wire.device_message.validate_python(data)
