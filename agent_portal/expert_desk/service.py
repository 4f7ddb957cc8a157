"""Pre-chats: a customer's free first conversation with one expert, on the chat's own
machinery (numbers, exactly-once delivery, attachments, typing). Its `kind` is
`expert_prechat`, its agent the expert from the start, its status `active`; it is never
routed, queued or made a ticket, and costs nothing.

    start_prechat         the conversation with the customer's first message; when the
                          expert is not online, a system message `expert_offline` says
                          the expert answers later (an offline message); relayed by mail
                          from its first message (`mail_relay`)
    unanswered_prechats   pre-chats whose first message, sent while the expert was online,
                          has had no answer for `answer_after`
    mark_unanswered_away  the expert of each such pre-chat turns away, and the customer is
                          told (`expert_away`), once per pre-chat
    inbox                 the expert's pre-chats, open ones first, newest first

Plain functions on a database session that flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from agent_portal.auth.models import StaffMember
from agent_portal.chat import service as chat_service
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.expert_desk import availability
from agent_portal.expert_desk.errors import ExpertNotFound
from agent_portal.experts import service as experts_service
from agent_portal.experts.models import ExpertProfile
from agent_portal.mail_relay import service as mail_relay
from isp_common.expert_desk_wire import ExpertStatus
from isp_common.live_wire import MESSAGE_MAX_CHARS, ConversationKind, SystemEvent, Topic

PRECHAT = ConversationKind.expert_prechat.value
# A pre-chat has no hotline topic; the column keeps one, never read for a pre-chat.
PRECHAT_TOPIC = Topic.computer.value
INBOX_LIMIT = 100


@dataclass(frozen=True)
class Expert:
    """An expert customers may write to: their public profile and their staff member."""

    profile: ExpertProfile
    staff: StaffMember

    @property
    def name(self) -> str:
        return self.profile.display_name or self.staff.name


@dataclass(frozen=True)
class Prechat:
    posted: chat_service.Posted  # the customer's first message
    expert_status: ExpertStatus  # when it was sent
    notice: chat_service.Posted | None = None  # `expert_offline`, when the expert was not online

    @property
    def conversation(self) -> Conversation:
        return self.posted.conversation

    @property
    def offline(self) -> bool:
        return self.expert_status is not ExpertStatus.online


def get_expert(*, db_session: Session, expert_id: int) -> Expert | None:
    """The expert of the public profile `expert_id` (approved, not suspended), if their
    staff account is an active expert's."""
    profile = experts_service.public_profile(db_session=db_session, expert_id=expert_id)
    if profile is None:
        return None
    member = profile.staff
    if member is None or member.role != availability.EXPERT_ROLE or not member.is_active:
        return None
    return Expert(profile, member)


def start_prechat(
    *,
    db_session: Session,
    customer_id: int,
    device_id: str | None,
    expert_id: int,  # the expert's public profile (`experts.service`)
    client_msg_id: str,
    text: str,
    now: datetime,
    away_after: timedelta,
    text_limit: int = MESSAGE_MAX_CHARS,
) -> Prechat:
    """The pre-chat with the customer's first message (see the module's notes); the same
    `client_msg_id` again answers the pre-chat it started. ExpertNotFound, EmptyMessage or
    MessageTooLong store nothing."""
    expert = get_expert(db_session=db_session, expert_id=expert_id)
    if expert is None:
        raise ExpertNotFound()
    text = chat_service.check_text(text, None, limit=text_limit)
    existing = db_session.scalar(
        select(Conversation).where(
            Conversation.customer_id == customer_id, Conversation.start_key == client_msg_id
        )
    )
    status = availability.status_of_staff(
        db_session=db_session, staff_id=expert.staff.id, now=now, away_after=away_after
    )
    if existing is not None:
        first = chat_service.find_by_client_msg_id(db_session, existing.id, client_msg_id)
        was_offline = _has_event(db_session, existing.id, SystemEvent.expert_offline)
        return Prechat(
            chat_service.Posted(first, existing, created=False),
            ExpertStatus.offline if was_offline else ExpertStatus.online,
        )
    conversation = Conversation(
        customer_id=customer_id,
        device_id=device_id,
        topic=PRECHAT_TOPIC,
        kind=PRECHAT,
        status="active",
        agent_id=expert.staff.id,
        start_key=client_msg_id,
        last_seq=0,
        created_at=now,
        updated_at=now,
        queued_at=None,
    )
    db_session.add(conversation)
    db_session.flush()
    # Carried by e-mail as well, from the first message on (the offline message too): each
    # side gets the other's messages with a reply address, never the other's own address,
    # and a reply by mail lands here.
    mail_relay.enable(db_session=db_session, conversation=conversation, now=now)
    posted = chat_service.add_message(
        db_session=db_session,
        conversation=conversation,
        sender="customer",
        now=now,
        text=text,
        client_msg_id=client_msg_id,
        text_limit=text_limit,
    )
    notice = None
    if status is not ExpertStatus.online:
        notice = chat_service.add_message(
            db_session=db_session,
            conversation=conversation,
            sender="system",
            now=now,
            event=SystemEvent.expert_offline.value,
            params={"expert": expert.name},
        )
    return Prechat(posted, status, notice)


def _has_event(db_session: Session, conversation_id: int, event: SystemEvent) -> bool:
    return bool(
        db_session.scalar(
            select(
                exists().where(
                    ChatMessage.conversation_id == conversation_id,
                    ChatMessage.event == event.value,
                )
            )
        )
    )


def unanswered_prechats(
    *, db_session: Session, now: datetime, answer_after: timedelta
) -> list[Conversation]:
    """Open pre-chats whose first message came while the expert was online and has had no
    answer of the expert for `answer_after`, not yet told `expert_away`."""
    answered = aliased(ChatMessage)
    noted = aliased(ChatMessage)
    return list(
        db_session.scalars(
            select(Conversation)
            .where(
                Conversation.kind == PRECHAT,
                Conversation.status == "active",
                Conversation.created_at <= now - answer_after,
                ~exists().where(
                    answered.conversation_id == Conversation.id, answered.sender == "agent"
                ),
                ~exists().where(
                    noted.conversation_id == Conversation.id,
                    noted.event.in_(
                        (SystemEvent.expert_offline.value, SystemEvent.expert_away.value)
                    ),
                ),
            )
            .order_by(Conversation.created_at, Conversation.id)
        )
    )


@dataclass(frozen=True)
class TurnedAway:
    staff_id: int  # the expert's staff member
    notices: list[chat_service.Posted]


def mark_unanswered_away(
    *, db_session: Session, now: datetime, answer_after: timedelta
) -> list[TurnedAway]:
    """Each expert with an unanswered pre-chat turns away (reason `unanswered`), and each
    such pre-chat gets the system message `expert_away` for its customer. What changed."""
    turned: dict[int, list[chat_service.Posted]] = {}
    for conversation in unanswered_prechats(
        db_session=db_session, now=now, answer_after=answer_after
    ):
        expert = conversation.agent
        if expert is None:
            continue
        profile = experts_service.profile_of_staff(db_session=db_session, staff_id=expert.id)
        name = (profile.display_name if profile else "") or expert.name
        if expert.id not in turned:
            if availability.away_reason(db_session=db_session, staff_id=expert.id) is None:
                availability.set_away(
                    db_session=db_session, staff_id=expert.id, now=now, reason="unanswered"
                )
            turned[expert.id] = []
        turned[expert.id].append(
            chat_service.add_message(
                db_session=db_session,
                conversation=conversation,
                sender="system",
                now=now,
                event=SystemEvent.expert_away.value,
                params={"expert": name},
            )
        )
    return [TurnedAway(staff_id, notices) for staff_id, notices in turned.items()]


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    last_message: ChatMessage | None
    offline: bool  # started while the expert was not online
    waiting: bool  # the customer wrote last: an answer is due


def inbox(*, db_session: Session, staff_id: int) -> list[InboxRow]:
    """The expert's pre-chats: open ones first, then the latest closed, newest first."""
    conversations = list(
        db_session.scalars(
            select(Conversation)
            .where(Conversation.kind == PRECHAT, Conversation.agent_id == staff_id)
            .order_by(
                (Conversation.status == "closed").asc(),
                Conversation.updated_at.desc(),
                Conversation.id.desc(),
            )
            .limit(INBOX_LIMIT)
        )
    )
    rows = []
    for conversation in conversations:
        last = db_session.scalar(
            select(ChatMessage)
            .where(ChatMessage.conversation_id == conversation.id, ChatMessage.sender != "system")
            .order_by(ChatMessage.seq.desc())
            .limit(1)
        )
        rows.append(
            InboxRow(
                conversation,
                last,
                offline=_has_event(db_session, conversation.id, SystemEvent.expert_offline),
                waiting=last is not None
                and last.sender == "customer"
                and conversation.status != "closed",
            )
        )
    return rows


def waiting_count(*, db_session: Session, staff_id: int) -> int:
    """Open pre-chats of the expert without an answer yet (for the menu's badge)."""
    answered = aliased(ChatMessage)
    return db_session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.kind == PRECHAT,
            Conversation.agent_id == staff_id,
            Conversation.status == "active",
            ~exists().where(
                answered.conversation_id == Conversation.id, answered.sender == "agent"
            ),
        )
    )
