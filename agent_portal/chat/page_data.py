"""What the chat pages show: the inbox (my chats, the queue, tickets, colleagues) and one
conversation with its history, handover notes, the customer's devices and reports. Plain
functions on a database session that gather it for the templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.auth.models import StaffMember
from agent_portal.chat import article_draft, routing, service
from agent_portal.chat.errors import N_
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.chat.topics import TOPIC_LABELS, topics_of
from agent_portal.config import PortalSettings
from agent_portal.i18n import _, translator
from agent_portal.knowledge.pages import WRITERS as ARTICLE_WRITERS
from agent_portal.paid_sessions import pages as paid_session_pages
from agent_portal.realtime import presence
from agent_portal.remote_diagnostics import service as diagnostics
from isp_common.live_wire import Topic

STATUS_LABELS = {
    "queued": N_("Waiting in the queue"),
    "active": N_("Live chat"),
    "ticket": N_("Ticket: waiting for an answer"),
    "answered": N_("Ticket: answered"),
    "closed": N_("Closed"),
}
PRESENCE_LABELS = {"online": N_("Online"), "away": N_("Away"), "offline": N_("Offline")}
SYSTEM_TEXTS = {
    "assigned": N_("%(agent)s took over the chat."),
    "transferred_agent": N_("Handed over to %(agent)s."),
    "transferred_topic": N_("Handed over to the queue “%(topic)s”."),
    "ticket": N_("No agent was available: the question became a ticket."),
    "queued": N_("The agent left the portal: back in the queue “%(topic)s”."),
    "closed_customer": N_("The customer closed the chat."),
    "closed_agent": N_("The chat was closed."),
    "expert_offline": N_("%(expert)s was not online: the message waits for them."),
    "expert_away": N_("%(expert)s did not answer in time and is away now."),
    "expert_offered": N_("The customer was offered the expert %(expert)s."),
    "expert_accepted": N_("The customer accepted: the chat is with the expert %(expert)s now."),
    "expert_declined": N_("The customer declined the expert %(expert)s."),
    "offer_withdrawn": N_("The offer of the expert %(expert)s was withdrawn."),
    "offer_expired": N_("The offer of the expert %(expert)s expired unanswered."),
}


def topic_label(topic: str) -> str:
    return _(TOPIC_LABELS[Topic(topic)])


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def presence_label(status: str) -> str:
    return _(PRESENCE_LABELS.get(status, status))


def system_texts() -> dict[str, str]:
    """The system messages' texts in the page's language, for the page's script too."""
    return {key: _(text) for key, text in SYSTEM_TEXTS.items()}


def system_text(message: ChatMessage) -> str:
    params = dict(message.params or {})
    key = message.event or ""
    if key == "transferred":
        key = "transferred_agent" if "agent" in params else "transferred_topic"
    elif key == "closed":
        key = f"closed_{params.get('by', 'agent')}"
    if "topic" in params:
        params["topic"] = topic_label(params["topic"])
    text = SYSTEM_TEXTS.get(key)
    return _(text) % params if text else key


@dataclass(frozen=True)
class Row:
    conversation: Conversation
    last_message: ChatMessage | None
    position: int | None = None


def _rows(db_session: Session, conversations, positions: bool = False) -> list[Row]:
    rows = []
    for conversation in conversations:
        last = db_session.scalar(
            select(ChatMessage)
            .where(ChatMessage.conversation_id == conversation.id, ChatMessage.sender != "system")
            .order_by(ChatMessage.seq.desc())
            .limit(1)
        )
        position = (
            service.queue_position(db_session=db_session, conversation=conversation)
            if positions
            else None
        )
        rows.append(Row(conversation, last, position))
    return rows


def _statuses(db_session: Session, settings: PortalSettings, now: datetime):
    return presence.staff_statuses(
        db_session=db_session, now=now, away_after=timedelta(minutes=settings.staff_away_minutes)
    )


def colleagues(db_session: Session, settings: PortalSettings, now: datetime) -> list[dict]:
    statuses = _statuses(db_session, settings, now)
    return [
        {
            "member": member,
            "status": statuses.get(member.id, presence.StaffStatus.offline).value,
        }
        for member in auth_service.list_staff(db_session=db_session)
        if member.is_active and member.role in routing.CHAT_ROLES
    ]


def inbox(
    *, db_session: Session, staff: StaffMember, settings: PortalSettings, now: datetime
) -> dict:
    def conversations(*conditions, order):
        return db_session.scalars(select(Conversation).where(*conditions).order_by(*order))

    mine = conversations(
        Conversation.status == "active",
        Conversation.agent_id == staff.id,
        order=(Conversation.updated_at.desc(),),
    )
    queue = conversations(
        Conversation.status == "queued", order=(Conversation.queued_at, Conversation.id)
    )
    tickets = conversations(
        Conversation.status.in_(("ticket", "answered")),
        order=(Conversation.status.desc(), Conversation.updated_at),
    )
    return {
        "my_chats": _rows(db_session, mine),
        "queue": _rows(db_session, queue, positions=True),
        "tickets": _rows(db_session, tickets),
        "colleagues": colleagues(db_session, settings, now),
        "my_topics": [topic_label(t) for t in topics_of(db_session=db_session, staff_id=staff.id)],
        "max_chats": settings.chat_max_per_agent,
    }


def _open_offer(db_session: Session, conversation_id: int):
    from agent_portal.escalation import service as escalation  # a domain above the chat's

    return escalation.open_offer(db_session=db_session, conversation_id=conversation_id)


def conversation_page(
    *,
    db_session: Session,
    conversation: Conversation,
    staff: StaffMember,
    settings: PortalSettings,
    now: datetime,
) -> dict:
    customer = conversation.customer
    online = presence.online_devices(
        db_session=db_session, device_ids=[device.id for device in customer.devices], now=now
    )
    return {
        "conversation": conversation,
        "customer": customer,
        "messages": service.messages_after(db_session=db_session, conversation_id=conversation.id),
        "notes": routing.notes(db_session=db_session, conversation_id=conversation.id),
        "devices": [
            {"device": device, "online": device.id in online} for device in customer.devices
        ],
        "reports": diagnostics.reports_for_customer(db_session=db_session, customer_id=customer.id),
        # Whom it can be handed to: neither the one who has it nor the one handing it.
        "colleagues": [
            entry
            for entry in colleagues(db_session, settings, now)
            if entry["member"].id not in (conversation.agent_id, staff.id)
        ],
        "topics": list(Topic),
        "mine": conversation.agent_id == staff.id,
        "attachment_limit": settings.chat_attachment_max_bytes,
        "message_max_chars": settings.chat_message_max_chars,
        "can_draft_article": staff.role in ARTICLE_WRITERS,
        # The offer of an expert waiting for the customer's answer (`escalation`).
        "open_offer": _open_offer(db_session, conversation.id),
        "has_agent_reply": article_draft.has_agent_reply(
            db_session=db_session, conversation_id=conversation.id
        ),
        # The expert's meter panel of paid sessions, in their own pre-chat (`paid_sessions`).
        "paid_session": paid_session_pages.panel(
            db_session=db_session,
            conversation=conversation,
            staff=staff,
            settings=settings,
            now=now,
            language=translator.language.get(),
        ),
    }
