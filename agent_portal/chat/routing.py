"""Who gets a conversation: an online agent with the topic's skill and the fewest open chats
(below the per-agent limit), else the topic's queue, else, when no agent is online at all,
a ticket answered later. Handover to a colleague or to another topic's queue, with an
internal note. Plain functions on a database session; the caller publishes the events.
Every change of status is a transition of `chat.states`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import service
from agent_portal.chat.errors import N_, ConversationClosed, TransferRefused
from agent_portal.chat.models import AgentTopic, ChatMessage, Conversation, ConversationNote
from agent_portal.chat.states import Event
from agent_portal.realtime import presence
from agent_portal.realtime.models import LiveConnection
from isp_common.live_wire import Topic

CHAT_ROLES = ("agent", "admin")
# Only the hotline's conversations are routed: an expert's pre-chat stays with its expert.
ROUTED = Conversation.kind == "hotline"
# Queued customers become tickets once no agent has been online for this long, so a page
# reload of the last agent does not turn the queue into tickets.
UNSTAFFED_GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class Policy:
    away_after: timedelta
    max_chats: int


@dataclass(frozen=True)
class Routed:
    conversation_id: int
    outcome: str  # assigned | queued | ticket
    agent_id: int | None = None


def online_agent_ids(*, db_session: Session, now: datetime, policy: Policy) -> set[int]:
    statuses = presence.staff_statuses(db_session=db_session, now=now, away_after=policy.away_after)
    online = {sid for sid, status in statuses.items() if status is presence.StaffStatus.online}
    if not online:
        return set()
    rows = db_session.scalars(
        select(StaffMember.id).where(
            StaffMember.id.in_(online),
            StaffMember.role.in_(CHAT_ROLES),
            StaffMember.is_active.is_(True),
        )
    )
    return set(rows)


def open_chat_counts(*, db_session: Session) -> dict[int, int]:
    rows = db_session.execute(
        select(Conversation.agent_id, func.count())
        .where(ROUTED, Conversation.status == "active", Conversation.agent_id.is_not(None))
        .group_by(Conversation.agent_id)
    )
    return dict(rows.all())


def _skilled(db_session: Session, agent_ids: set[int], topic: str) -> set[int]:
    if not agent_ids:
        return set()
    rows = db_session.scalars(
        select(AgentTopic.staff_id).where(
            AgentTopic.staff_id.in_(agent_ids), AgentTopic.topic == topic
        )
    )
    return set(rows)


def _pick(candidates: set[int], counts: dict[int, int], max_chats: int) -> int | None:
    free = [agent for agent in candidates if counts.get(agent, 0) < max_chats]
    return min(free, key=lambda agent: (counts.get(agent, 0), agent)) if free else None


# A round over the queue is one transaction, committed by the job that runs it: hundreds
# of conversations moving at once, when the last agent leaves, are one commit, not
# hundreds, and the live channel's database thread is free again sooner.


def assign(
    *,
    db_session: Session,
    conversation: Conversation,
    agent: StaffMember,
    now: datetime,
) -> None:
    service.change_status(
        db_session=db_session,
        conversation=conversation,
        event=Event.assign,
        now=now,
        agent=agent,
    )


def make_ticket(*, db_session: Session, conversation: Conversation, now: datetime) -> None:
    service.change_status(
        db_session=db_session, conversation=conversation, event=Event.no_agent, now=now
    )


def route(
    *, db_session: Session, conversation: Conversation, now: datetime, policy: Policy
) -> Routed:
    """Places a queued conversation: to an agent, left in the queue, or made a ticket."""
    online = online_agent_ids(db_session=db_session, now=now, policy=policy)
    if not online:
        make_ticket(db_session=db_session, conversation=conversation, now=now)
        return Routed(conversation.id, "ticket")
    skilled = _skilled(db_session, online, conversation.topic)
    agent_id = _pick(skilled, open_chat_counts(db_session=db_session), policy.max_chats)
    if agent_id is None:
        return Routed(conversation.id, "queued")
    agent = db_session.get(StaffMember, agent_id)
    assign(db_session=db_session, conversation=conversation, agent=agent, now=now)
    return Routed(conversation.id, "assigned", agent_id)


def requeue_abandoned(*, db_session: Session, now: datetime) -> list[Routed]:
    """Live chats whose agent closed the portal go back to their topic's queue, at the
    place of their first request: when no tab of the agent is open and the agent's side
    (their messages, the handover) has been quiet for a while. The customer writing on
    does not keep the chat with an agent who is gone."""
    present = select(LiveConnection.staff_id).where(
        LiveConnection.staff_id.is_not(None), LiveConnection.seen_at >= presence.alive_since(now)
    )
    agent_side_quiet = (
        select(func.max(ChatMessage.created_at))
        .where(
            ChatMessage.conversation_id == Conversation.id,
            ChatMessage.sender.in_(("agent", "system")),
        )
        .scalar_subquery()
    )
    abandoned = db_session.scalars(
        select(Conversation).where(
            ROUTED,
            Conversation.status == "active",
            Conversation.agent_id.not_in(present),
            agent_side_quiet <= now - UNSTAFFED_GRACE,
        )
    )
    changed = []
    for conversation in list(abandoned):
        service.change_status(
            db_session=db_session,
            conversation=conversation,
            event=Event.agent_left,
            now=now,
        )
        changed.append(Routed(conversation.id, "queued"))
    return changed


def route_queue(*, db_session: Session, now: datetime, policy: Policy) -> list[Routed]:
    """Gives waiting conversations, oldest first, to agents who are free now; turns them
    into tickets when no agent has been online for a while. What changed, in order."""
    queued = list(
        db_session.scalars(
            select(Conversation)
            .where(ROUTED, Conversation.status == "queued")
            .order_by(Conversation.queued_at, Conversation.id)
        )
    )
    if not queued:
        return []
    online = online_agent_ids(db_session=db_session, now=now, policy=policy)
    changed = []
    if not online:
        for conversation in queued:
            if conversation.queued_at <= now - UNSTAFFED_GRACE:
                make_ticket(db_session=db_session, conversation=conversation, now=now)
                changed.append(Routed(conversation.id, "ticket"))
        return changed
    counts = open_chat_counts(db_session=db_session)
    for conversation in queued:
        agent_id = _pick(_skilled(db_session, online, conversation.topic), counts, policy.max_chats)
        if agent_id is None:
            continue
        agent = db_session.get(StaffMember, agent_id)
        assign(db_session=db_session, conversation=conversation, agent=agent, now=now)
        counts[agent_id] = counts.get(agent_id, 0) + 1
        changed.append(Routed(conversation.id, "assigned", agent_id))
    return changed


def take(
    *, db_session: Session, conversation: Conversation, agent: StaffMember, now: datetime
) -> None:
    """An agent takes a waiting conversation or a ticket: it becomes their live chat."""
    if conversation.status == "active":
        if conversation.agent_id == agent.id:
            raise TransferRefused(N_("This conversation is yours already."))
        raise TransferRefused(N_("Another agent has taken this conversation already."))
    service.change_status(
        db_session=db_session, conversation=conversation, event=Event.take, now=now, agent=agent
    )


@dataclass(frozen=True)
class Transferred:
    conversation: Conversation
    note: ConversationNote
    previous_agent_id: int | None


def transfer(
    *,
    db_session: Session,
    conversation: Conversation,
    by: StaffMember,
    now: datetime,
    policy: Policy,
    to_staff_id: int | None = None,
    to_topic: str | None = None,
    note: str = "",
) -> Transferred:
    """Hands the conversation with its history to a colleague (who has it live from now
    on, so must be online) or to a topic's queue."""
    if conversation.status == "closed":
        raise ConversationClosed()
    if (to_staff_id is None) == (to_topic is None):
        raise TransferRefused(N_("Choose either a colleague or a topic to hand over to."))
    previous = conversation.agent_id
    if to_staff_id is not None:
        colleague = _colleague_for(db_session, conversation, by, to_staff_id, now, policy)
        change = {"event": Event.hand_to_agent, "agent": colleague}
    else:
        change = {"event": Event.hand_to_topic, "topic": Topic(to_topic).value}
    record = ConversationNote(
        conversation_id=conversation.id,
        author_id=by.id,
        to_staff_id=to_staff_id,
        to_topic=to_topic,
        text=note.strip(),
        created_at=now,
    )
    db_session.add(record)
    service.change_status(db_session=db_session, conversation=conversation, now=now, **change)
    return Transferred(conversation, record, previous)


def _colleague_for(
    db_session: Session,
    conversation: Conversation,
    by: StaffMember,
    staff_id: int,
    now: datetime,
    policy: Policy,
) -> StaffMember:
    """The colleague to hand over to, or why they cannot have it."""
    colleague = db_session.get(StaffMember, staff_id)
    if colleague is None:
        raise TransferRefused(N_("There is no such colleague."))
    if colleague.role not in CHAT_ROLES or not colleague.is_active:
        raise TransferRefused(N_("%(name)s does not take chats."), name=colleague.name)
    if colleague.id == conversation.agent_id:
        raise TransferRefused(N_("%(name)s has this conversation already."), name=colleague.name)
    if colleague.id == by.id:
        raise TransferRefused(
            N_("You cannot hand a conversation over to yourself; take it instead.")
        )
    status = presence.staff_status(
        db_session=db_session, staff_id=colleague.id, now=now, away_after=policy.away_after
    )
    if status is presence.StaffStatus.offline:
        raise TransferRefused(
            N_("%(name)s is offline and cannot take a live chat now."), name=colleague.name
        )
    return colleague


def notes(*, db_session: Session, conversation_id: int) -> list[ConversationNote]:
    return list(
        db_session.scalars(
            select(ConversationNote)
            .where(ConversationNote.conversation_id == conversation_id)
            .order_by(ConversationNote.created_at, ConversationNote.id)
        )
    )
