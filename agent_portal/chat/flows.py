"""The chat's side effects: after the database has a change, tell whoever must know, over
the pub/sub channels (see `agent_portal.realtime.hub` for the channel names).

- a message goes to the conversation's watchers, its agent's tabs, and (when not the
  customer's own) to the customer's device;
- a change of status or queue place goes to the device as `chat.state`, and every portal
  tab hears `inbox.changed`;
- routing decides under one lock of the whole installation (`agent_portal.jobs.locks`),
  so no two workers give out the same chat, or an agent more chats than allowed, by
  deciding at once.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing, service
from agent_portal.chat.errors import ConversationNotFound
from agent_portal.chat.models import Conversation
from agent_portal.chat.schemas import StaffChatState, conversation_info, message_info
from agent_portal.realtime.hub import (
    STAFF_ALL,
    LiveServices,
    conversation_channel,
    device_channel,
    staff_channel,
)
from agent_portal.realtime.schemas import INBOX_CHANGED
from agent_portal.unit_of_work import committed
from isp_common.live_wire import ChatMessage, ChatState, ConversationInfo, MessageInfo

log = logging.getLogger(__name__)

ROUTING_LOCK = "chat-routing"


def routing_lock(live: LiveServices) -> AbstractAsyncContextManager[None]:
    return live.locks.exclusive(ROUTING_LOCK)


def policy(live: LiveServices) -> routing.Policy:
    return routing.Policy(
        away_after=timedelta(minutes=live.settings.staff_away_minutes),
        max_chats=live.settings.chat_max_per_agent,
    )


@dataclass
class Snapshot:
    """A conversation and new messages of it, read inside the database thread, ready to
    publish once back on the event loop."""

    info: ConversationInfo | None  # None: only messages to publish
    device_id: str | None
    agent_id: int | None
    messages: list[MessageInfo] = field(default_factory=list)
    conversation_id: int | None = None

    def __post_init__(self) -> None:
        if self.conversation_id is None:
            self.conversation_id = self.info.id


def snapshot(
    db_session: Session, conversation: Conversation, after_seq: int | None = None
) -> Snapshot:
    db_session.refresh(conversation)
    position = service.queue_position(db_session=db_session, conversation=conversation)
    messages = []
    if after_seq is not None:
        customer_name = conversation.customer.name or ""
        messages = [
            message_info(message, customer_name=customer_name)
            for message in service.messages_after(
                db_session=db_session, conversation_id=conversation.id, after_seq=after_seq
            )
        ]
    return Snapshot(
        info=conversation_info(conversation, queue_position=position),
        device_id=conversation.device_id,
        agent_id=conversation.agent_id,
        messages=messages,
    )


def message_snapshot(db_session: Session, posted: service.Posted) -> Snapshot:
    """The snapshot of one stored message, read without going back to the database (the
    hot path of every chat message)."""
    conversation = posted.conversation
    position = None
    if conversation.status == "queued":
        position = service.queue_position(db_session=db_session, conversation=conversation)
    messages = []
    if posted.created:
        messages = [message_info(posted.message, customer_name=conversation.customer.name or "")]
    return Snapshot(
        info=conversation_info(conversation, queue_position=position),
        device_id=conversation.device_id,
        agent_id=conversation.agent_id,
        messages=messages,
    )


async def publish_messages(live: LiveServices, snap: Snapshot) -> None:
    for message in snap.messages:
        event = ChatMessage(conversation_id=snap.conversation_id, message=message)
        event = event.model_dump_json()
        await live.publish(conversation_channel(snap.conversation_id), event)
        if snap.agent_id is not None:
            await live.publish(staff_channel(snap.agent_id), event)
        if snap.device_id is not None and message.sender != "customer":
            await live.publish(device_channel(snap.device_id), event)


async def publish_stored(live: LiveServices, conversation_id: int, stored) -> None:
    """Like `publish_messages`, for one message of the fast path (`fast_path.Stored`)."""
    await publish_messages(
        live,
        Snapshot(
            info=None,
            device_id=stored.device_id,
            agent_id=stored.agent_id,
            messages=[stored.message],
            conversation_id=conversation_id,
        ),
    )


async def publish_state(live: LiveServices, snap: Snapshot, *, inbox: bool = True) -> None:
    if snap.device_id is not None:
        state = ChatState(conversation=snap.info)
        await live.publish(device_channel(snap.device_id), state)
    watched = StaffChatState(conversation=snap.info, agent_id=snap.agent_id)
    await live.publish(conversation_channel(snap.info.id), watched)
    if inbox:
        await live.publish(STAFF_ALL, INBOX_CHANGED)


async def publish_snapshots(live: LiveServices, snaps: list[Snapshot]) -> None:
    for snap in snaps:
        await publish_messages(live, snap)
        await publish_state(live, snap, inbox=False)
    if snaps:
        await live.publish(STAFF_ALL, INBOX_CHANGED)


def _queue_positions(db_session: Session, topics: set[str]) -> list[Snapshot]:
    if not topics:
        return []
    waiting = db_session.scalars(
        select(Conversation).where(Conversation.status == "queued", Conversation.topic.in_(topics))
    )
    return [snapshot(db_session, conversation) for conversation in waiting]


def _route_queue(*, db_session: Session, now, policy: routing.Policy) -> list[Snapshot]:
    # Plain rows, not objects: this runs every few seconds over every open conversation.
    open_now = select(Conversation.id, Conversation.last_seq).where(
        routing.ROUTED, Conversation.status.in_(("queued", "active"))
    )
    before = {row.id: row.last_seq for row in db_session.execute(open_now)}
    changed = routing.requeue_abandoned(db_session=db_session, now=now)
    changed += routing.route_queue(db_session=db_session, now=now, policy=policy)
    snaps: dict[int, Snapshot] = {}
    topics = set()
    # A conversation requeued and given out again (or made a ticket) is told once.
    for conversation_id in dict.fromkeys(routed.conversation_id for routed in changed):
        conversation = service.get_conversation(
            db_session=db_session, conversation_id=conversation_id
        )
        snaps[conversation_id] = snapshot(
            db_session, conversation, after_seq=before[conversation_id]
        )
        topics.add(conversation.topic)
    moved = set(snaps)
    snaps = list(snaps.values())
    snaps += [s for s in _queue_positions(db_session, topics) if s.info.id not in moved]
    return snaps


async def route_waiting(live: LiveServices) -> None:
    """Gives queued conversations to agents who became free; a background job and a hook
    on every change that may free an agent."""
    async with routing_lock(live):
        snaps = await live.run_db(committed(_route_queue), now=live.now(), policy=policy(live))
    await publish_snapshots(live, snaps)


async def on_staff_presence(live: LiveServices, _staff_id: int, status) -> None:
    if status.value == "online":
        await route_waiting(live)


# --- what agents do on the portal pages ------------------------------------------------


def _take(*, db_session: Session, conversation_id: int, staff_id: int, now) -> Snapshot:
    conversation = service.get_conversation(db_session=db_session, conversation_id=conversation_id)
    if conversation is None:
        raise ConversationNotFound()
    last = conversation.last_seq
    staff = db_session.get(StaffMember, staff_id)
    routing.take(db_session=db_session, conversation=conversation, agent=staff, now=now)
    return snapshot(db_session, conversation, after_seq=last)


async def take(live: LiveServices, *, conversation_id: int, staff_id: int) -> None:
    async with routing_lock(live):
        snap = await live.run_db(
            committed(_take), conversation_id=conversation_id, staff_id=staff_id, now=live.now()
        )
    await publish_messages(live, snap)
    await publish_state(live, snap)


def _transfer(*, db_session: Session, conversation_id: int, staff_id: int, now, policy, **target):
    conversation = service.get_conversation(db_session=db_session, conversation_id=conversation_id)
    if conversation is None:
        raise ConversationNotFound()
    last = conversation.last_seq
    by = db_session.get(StaffMember, staff_id)
    done = routing.transfer(
        db_session=db_session, conversation=conversation, by=by, now=now, policy=policy, **target
    )
    return snapshot(db_session, conversation, after_seq=last), done.previous_agent_id


async def transfer(
    live: LiveServices,
    *,
    conversation_id: int,
    staff_id: int,
    to_staff_id: int | None = None,
    to_topic: str | None = None,
    note: str = "",
) -> None:
    async with routing_lock(live):
        snap, previous = await live.run_db(
            committed(_transfer),
            conversation_id=conversation_id,
            staff_id=staff_id,
            now=live.now(),
            policy=policy(live),
            to_staff_id=to_staff_id,
            to_topic=to_topic,
            note=note,
        )
    await publish_messages(live, snap)
    await publish_state(live, snap)
    if snap.agent_id is not None:
        await live.publish(
            staff_channel(snap.agent_id),
            {"type": "chat.assigned", "conversation_id": snap.info.id},
        )
    if previous is not None and previous != snap.agent_id:
        await live.publish(staff_channel(previous), INBOX_CHANGED)
    await route_waiting(live)


def _close(*, db_session: Session, conversation_id: int, now) -> Snapshot | None:
    conversation = service.get_conversation(db_session=db_session, conversation_id=conversation_id)
    if conversation is None:
        raise ConversationNotFound()
    last = conversation.last_seq
    closed = service.close_conversation(
        db_session=db_session, conversation=conversation, by="agent", now=now
    )
    return snapshot(db_session, conversation, after_seq=last) if closed else None


async def close(live: LiveServices, *, conversation_id: int) -> None:
    snap = await live.run_db(committed(_close), conversation_id=conversation_id, now=live.now())
    if snap is not None:
        await publish_messages(live, snap)
        await publish_state(live, snap)
        await closed_hooks(live, conversation_id)
        await route_waiting(live)


async def closed_hooks(live: LiveServices, conversation_id: int) -> None:
    """The domains that hang something on a conversation hear that it closed
    (`LiveRegistry.on_conversation_closed`): a screen view asked in it ends."""
    for hook in live.messages.conversation_closed_hooks:
        try:
            await hook(live, conversation_id)
        except Exception:  # the conversation is closed; one domain must not stop the others
            log.exception("conversation %s: a closing hook failed", conversation_id)
