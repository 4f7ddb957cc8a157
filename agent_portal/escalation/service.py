"""Offers of experts in hotline chats: the hotline's way up to a paid expert.

    offer_expert   the chat's own agent offers the customer an approved, unsuspended expert,
                   with an internal note for them; one open offer per chat at a time. The
                   customer reads the system message `expert_offered` (the assistant shows
                   the expert's card from `/api/v1/experts/{expert_id}`).
    answer_offer   the customer's yes or no. Yes hands the conversation itself to the
                   expert: its `kind` becomes `expert_prechat`, its agent the expert, so the
                   expert reads the whole history, the customer's devices and reports (as
                   `chat.access` and `expert_desk` allow an expert of a pre-chat) and the
                   agent's note (a `ConversationNote` to the expert); the customer stays in
                   the same thread. When the expert is not online, `expert_offline` follows:
                   the customer's next message waits for them, as a pre-chat's does.
                   Nothing is charged: a pre-chat is free.
    withdraw_offer the agent takes an unanswered offer back.
    expire_offers  offers unanswered for the setting `expert_offer_seconds` end.

Every step is audited. Plain functions on a database session that flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.auth.models import StaffMember
from agent_portal.chat import service as chat_service
from agent_portal.chat.models import Conversation, ConversationNote
from agent_portal.escalation.audit_events import Event
from agent_portal.escalation.errors import OfferClosed, OfferNotFound, OfferRefused
from agent_portal.escalation.models import ExpertOffer
from agent_portal.expert_desk import availability
from agent_portal.expert_desk import service as desk
from agent_portal.expert_desk.errors import ExpertNotFound
from isp_common.expert_desk_wire import ExpertStatus
from isp_common.i18n import N_
from isp_common.live_wire import ConversationKind, SystemEvent

NOTE_MAX_CHARS = 2000
HOTLINE = ConversationKind.hotline.value


@dataclass(frozen=True)
class Outcome:
    """An offer after a step, with the system messages the step added (to publish)."""

    offer: ExpertOffer
    conversation: Conversation
    messages: list[chat_service.Posted] = field(default_factory=list)
    previous_agent_id: int | None = None  # set when the conversation was handed over


def _expert_name(expert: desk.Expert) -> str:
    return expert.name


def _params(offer: ExpertOffer, name: str) -> dict:
    return {"offer_id": offer.id, "expert_id": offer.expert_id, "expert": name}


def _profile_name(db_session: Session, offer: ExpertOffer) -> str:
    from agent_portal.experts.models import ExpertProfile

    profile = db_session.get(ExpertProfile, offer.expert_id)
    staff = db_session.get(StaffMember, offer.expert_staff_id)
    return (profile.display_name if profile else "") or (staff.name if staff else "")


def open_offer(*, db_session: Session, conversation_id: int) -> ExpertOffer | None:
    """The conversation's offer still waiting for the customer, if any."""
    return db_session.scalar(
        select(ExpertOffer).where(
            ExpertOffer.conversation_id == conversation_id, ExpertOffer.status == "offered"
        )
    )


def offers_of(*, db_session: Session, conversation_id: int) -> list[ExpertOffer]:
    """The conversation's offers, oldest first."""
    return list(
        db_session.scalars(
            select(ExpertOffer)
            .where(ExpertOffer.conversation_id == conversation_id)
            .order_by(ExpertOffer.created_at, ExpertOffer.id)
        )
    )


def offer_expert(
    *,
    db_session: Session,
    conversation: Conversation,
    agent: StaffMember,
    expert_id: int,
    note: str,
    now: datetime,
    expires_after: timedelta,
) -> Outcome:
    """The agent's offer of the expert `expert_id` (public profile) to the chat's
    customer. OfferRefused unless the agent holds this live hotline chat, while another
    offer waits, or for a note over NOTE_MAX_CHARS; ExpertNotFound for an expert
    customers cannot have. Nothing is stored when refused."""
    if (
        conversation.kind != HOTLINE
        or conversation.status != "active"
        or conversation.agent_id != agent.id
    ):
        raise OfferRefused(N_("Only the agent who holds this live chat can offer an expert."))
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise OfferRefused(
            N_("The note may be at most %(limit)s characters long."), limit=NOTE_MAX_CHARS
        )
    expert = desk.get_expert(db_session=db_session, expert_id=expert_id)
    if expert is None:
        raise ExpertNotFound()
    if open_offer(db_session=db_session, conversation_id=conversation.id) is not None:
        raise OfferRefused(N_("An offer is waiting for the customer's answer; withdraw it first."))
    offer = ExpertOffer(
        conversation_id=conversation.id,
        expert_id=expert.profile.id,
        expert_staff_id=expert.staff.id,
        agent_id=agent.id,
        note=note,
        status="offered",
        created_at=now,
        expires_at=now + expires_after,
    )
    db_session.add(offer)
    db_session.flush()
    params = _params(offer, _expert_name(expert))
    posted = chat_service.add_message(
        db_session=db_session,
        conversation=conversation,
        sender="system",
        now=now,
        event=SystemEvent.expert_offered.value,
        params={**params, "expires_at": offer.expires_at.isoformat()},
    )
    audit.record(
        db_session=db_session,
        event=Event.EXPERT_OFFERED,
        actor=audit.Actor.staff(agent),
        now=now,
        customer=conversation.customer,
        conversation_id=conversation.id,
        offer_id=offer.id,
        expert=params["expert"],
        expert_id=offer.expert_id,
        with_note=bool(note),
    )
    return Outcome(offer, conversation, [posted])


def _end(
    db_session: Session,
    offer: ExpertOffer,
    conversation: Conversation,
    *,
    status: str,
    event: SystemEvent,
    audit_event: Event,
    actor: audit.Actor,
    now: datetime,
) -> Outcome:
    offer.status = status
    offer.answered_at = now
    name = _profile_name(db_session, offer)
    posted = chat_service.add_message(
        db_session=db_session,
        conversation=conversation,
        sender="system",
        now=now,
        event=event.value,
        params=_params(offer, name),
    )
    audit.record(
        db_session=db_session,
        event=audit_event,
        actor=actor,
        now=now,
        customer=conversation.customer,
        conversation_id=conversation.id,
        offer_id=offer.id,
        expert=name,
        expert_id=offer.expert_id,
    )
    return Outcome(offer, conversation, [posted])


def _still_open(db_session: Session, offer: ExpertOffer, now: datetime) -> Conversation:
    """The offer's conversation while the offer may be answered; OfferClosed otherwise."""
    conversation = db_session.get(Conversation, offer.conversation_id)
    if offer.status != "offered" or now >= offer.expires_at or conversation is None:
        raise OfferClosed()
    if conversation.status == "closed" or conversation.kind != HOTLINE:
        raise OfferClosed()
    return conversation


def answer_offer(
    *,
    db_session: Session,
    offer_id: int,
    customer_id: int,
    accepted: bool,
    now: datetime,
    away_after: timedelta,
    device_id: str | None = None,
) -> Outcome:
    """The customer's answer (see the module's notes). OfferNotFound unless the offer is
    in a conversation of `customer_id`; OfferClosed once answered, withdrawn, expired or
    the chat closed; ExpertNotFound when the expert was suspended since. Nothing is stored
    when refused."""
    offer = db_session.get(ExpertOffer, offer_id)
    conversation = db_session.get(Conversation, offer.conversation_id) if offer else None
    if offer is None or conversation is None or conversation.customer_id != customer_id:
        raise OfferNotFound()
    _still_open(db_session, offer, now)
    actor = audit.Actor.customer(conversation.customer)
    if not accepted:
        return _end(
            db_session,
            offer,
            conversation,
            status="declined",
            event=SystemEvent.expert_declined,
            audit_event=Event.EXPERT_OFFER_DECLINED,
            actor=actor,
            now=now,
        )
    expert = desk.get_expert(db_session=db_session, expert_id=offer.expert_id)
    if expert is None or expert.staff.id != offer.expert_staff_id:
        raise ExpertNotFound()
    previous = conversation.agent_id
    db_session.add(
        ConversationNote(
            conversation_id=conversation.id,
            author_id=offer.agent_id,
            to_staff_id=expert.staff.id,
            to_topic=None,
            text=offer.note,
            created_at=now,
        )
    )
    conversation.kind = desk.PRECHAT
    conversation.agent = expert.staff  # the relationship too: the state names the expert
    conversation.agent_id = expert.staff.id
    conversation.updated_at = now
    if device_id is not None:
        conversation.device_id = device_id
    outcome = _end(
        db_session,
        offer,
        conversation,
        status="accepted",
        event=SystemEvent.expert_accepted,
        audit_event=Event.EXPERT_OFFER_ACCEPTED,
        actor=actor,
        now=now,
    )
    messages = list(outcome.messages)
    status = availability.status_of_staff(
        db_session=db_session, staff_id=expert.staff.id, now=now, away_after=away_after
    )
    if status is not ExpertStatus.online:
        messages.append(
            chat_service.add_message(
                db_session=db_session,
                conversation=conversation,
                sender="system",
                now=now,
                event=SystemEvent.expert_offline.value,
                params={"expert": expert.name},
            )
        )
    db_session.flush()
    return Outcome(offer, conversation, messages, previous_agent_id=previous)


def withdraw_offer(
    *, db_session: Session, offer_id: int, agent: StaffMember, now: datetime
) -> Outcome:
    """The agent takes their unanswered offer back. OfferNotFound unless the agent holds
    the offer's chat; OfferClosed once it is answered or expired."""
    offer = db_session.get(ExpertOffer, offer_id)
    conversation = db_session.get(Conversation, offer.conversation_id) if offer else None
    if offer is None or conversation is None or conversation.agent_id != agent.id:
        raise OfferNotFound()
    _still_open(db_session, offer, now)
    return _end(
        db_session,
        offer,
        conversation,
        status="withdrawn",
        event=SystemEvent.offer_withdrawn,
        audit_event=Event.EXPERT_OFFER_WITHDRAWN,
        actor=audit.Actor.staff(agent),
        now=now,
    )


def expire_offers(*, db_session: Session, now: datetime) -> list[Outcome]:
    """Every offer still waiting at its `expires_at` ends as expired; what ended."""
    due = list(
        db_session.scalars(
            select(ExpertOffer)
            .where(ExpertOffer.status == "offered", ExpertOffer.expires_at <= now)
            .order_by(ExpertOffer.expires_at, ExpertOffer.id)
        )
    )
    ended = []
    for offer in due:
        conversation = db_session.get(Conversation, offer.conversation_id)
        ended.append(
            _end(
                db_session,
                offer,
                conversation,
                status="expired",
                event=SystemEvent.offer_expired,
                audit_event=Event.EXPERT_OFFER_EXPIRED,
                actor=audit.Actor.system(),
                now=now,
            )
        )
    return ended
