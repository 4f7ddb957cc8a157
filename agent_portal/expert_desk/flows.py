"""The expert's desk on the live channel: a customer's assistant starts a pre-chat
(`prechat.start`), the installation turns experts away who leave a new pre-chat
unanswered (the job `expert-answers`), and the expert's own tabs hear of both.

After the database has the change, whoever must know is told through the chat's own
publishing (`chat.flows`): the messages to the conversation's watchers, the expert's tabs
and the customer's device; `inbox.changed` to the expert's tabs.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.chat import flows as chat_flows
from agent_portal.chat.channel_handlers import OWN_CONVERSATION, ack_of
from agent_portal.expert_desk import availability, service
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import device_kind, remember_grant
from agent_portal.realtime.hub import LiveServices, staff_channel
from agent_portal.realtime.schemas import INBOX_CHANGED
from agent_portal.unit_of_work import committed
from isp_common.live_wire import ChatState


def away_after(live: LiveServices) -> timedelta:
    return timedelta(minutes=live.settings.staff_away_minutes)


def _start(*, db_session: Session, device, message, now, away_after, text_limit):
    started = service.start_prechat(
        db_session=db_session,
        customer_id=device.customer_id,
        device_id=device.id,
        expert_id=message.expert_id,
        client_msg_id=message.client_msg_id,
        text=message.text,
        now=now,
        away_after=away_after,
        text_limit=text_limit,
    )
    snap = chat_flows.snapshot(
        db_session, started.conversation, after_seq=started.posted.message.seq - 1
    )
    return ack_of(started.posted), snap


async def prechat_start(session: DeviceSession, message) -> None:
    """The customer's first message to an expert: the pre-chat, on the device's own
    customer (the expert is named in the message; any active expert may be written to)."""
    live = session.live
    ack, snap = await live.run_db(
        committed(_start),
        device=session.device,
        message=message,
        now=live.now(),
        away_after=away_after(live),
        text_limit=live.settings.chat_message_max_chars,
    )
    remember_grant(session, OWN_CONVERSATION, snap.info.id)
    session.reply(ChatState(conversation=snap.info, request_id=message.request_id))
    session.reply(ack)
    await chat_flows.publish_messages(live, snap)
    await chat_flows.publish_state(live, snap, inbox=False)
    if snap.agent_id is not None:
        await live.publish(staff_channel(snap.agent_id), INBOX_CHANGED)


DEVICE_KINDS = {
    # Acts on the device's own customer; the expert it names is checked by the service.
    "prechat.start": device_kind(prechat_start),
}


def _turn_away(*, db_session: Session, now, answer_after):
    turned = service.mark_unanswered_away(db_session=db_session, now=now, answer_after=answer_after)
    snapshot = chat_flows.message_snapshot
    return [
        (away.staff_id, [snapshot(db_session, notice) for notice in away.notices])
        for away in turned
    ]


async def turn_away_unanswered(live: LiveServices) -> None:
    """The job: experts who leave a new pre-chat unanswered for the setting
    `expert_answer_seconds` turn away; their customers and tabs are told."""
    answer_after = timedelta(seconds=live.settings.expert_answer_seconds)
    turned = await live.run_db(committed(_turn_away), now=live.now(), answer_after=answer_after)
    for staff_id, snaps in turned:
        for snap in snaps:
            await chat_flows.publish_messages(live, snap)
        await live.publish(staff_channel(staff_id), INBOX_CHANGED)


async def set_status(live: LiveServices, *, staff_id: int, online: bool) -> None:
    """The expert's choice in the portal: away, or back online."""
    change = availability.set_online if online else availability.set_away
    await live.run_db(committed(change), staff_id=staff_id, now=live.now())
    await live.publish(staff_channel(staff_id), INBOX_CHANGED)
