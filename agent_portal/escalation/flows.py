"""Offers of experts on the live channel: the agent offers or withdraws on the
conversation's page (`escalation.pages`), the customer's assistant answers with
`offer.answer`, the job `expert-offers` ends unanswered offers.

After the database has the change, the system messages go out through the chat's own
publishing (`chat.flows`) to the conversation's watchers (the agent's page sees the answer
live) and the customer's device; on a handover, the expert's tabs hear `chat.assigned`
and `inbox.changed`, and the agent's tabs `inbox.changed`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import flows as chat_flows
from agent_portal.chat import service as chat_service
from agent_portal.chat.errors import ConversationNotFound
from agent_portal.chat.models import Conversation
from agent_portal.escalation import service
from agent_portal.escalation.errors import OfferNotFound
from agent_portal.escalation.models import ExpertOffer
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.hub import LiveServices, staff_channel
from agent_portal.realtime.schemas import INBOX_CHANGED
from agent_portal.unit_of_work import committed


def _snaps(db_session: Session, outcome: service.Outcome):
    return [chat_flows.message_snapshot(db_session, posted) for posted in outcome.messages]


async def _publish(live: LiveServices, snaps, handed: tuple[int | None, int] | None) -> None:
    for snap in snaps:
        await chat_flows.publish_messages(live, snap)
    if snaps:
        await chat_flows.publish_state(live, snaps[-1], inbox=handed is not None)
    if handed is not None:
        previous, expert_staff_id = handed
        conversation_id = snaps[-1].info.id
        await live.publish(
            staff_channel(expert_staff_id),
            {"type": "chat.assigned", "conversation_id": conversation_id},
        )
        await live.publish(staff_channel(expert_staff_id), INBOX_CHANGED)
        if previous is not None:
            await live.publish(staff_channel(previous), INBOX_CHANGED)


def _offer(
    *, db_session: Session, conversation_id: int, staff_id: int, expert_id, note, now, expires_after
):
    conversation = chat_service.get_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    if conversation is None:
        raise ConversationNotFound()
    outcome = service.offer_expert(
        db_session=db_session,
        conversation=conversation,
        agent=db_session.get(StaffMember, staff_id),
        expert_id=expert_id,
        note=note,
        now=now,
        expires_after=expires_after,
    )
    return _snaps(db_session, outcome)


async def offer(
    live: LiveServices, *, conversation_id: int, staff_id: int, expert_id: int, note: str
) -> None:
    """The agent's offer; the customer's assistant and the chat's watchers see it."""
    snaps = await live.run_db(
        committed(_offer),
        conversation_id=conversation_id,
        staff_id=staff_id,
        expert_id=expert_id,
        note=note,
        now=live.now(),
        expires_after=timedelta(seconds=live.settings.expert_offer_seconds),
    )
    await _publish(live, snaps, None)


def _withdraw(*, db_session: Session, offer_id: int, staff_id: int, now):
    outcome = service.withdraw_offer(
        db_session=db_session,
        offer_id=offer_id,
        agent=db_session.get(StaffMember, staff_id),
        now=now,
    )
    return _snaps(db_session, outcome)


async def withdraw(live: LiveServices, *, offer_id: int, staff_id: int) -> None:
    snaps = await live.run_db(
        committed(_withdraw), offer_id=offer_id, staff_id=staff_id, now=live.now()
    )
    await _publish(live, snaps, None)


def _answer(*, db_session: Session, device, message, now, away_after):
    outcome = service.answer_offer(
        db_session=db_session,
        offer_id=message.offer_id,
        customer_id=device.customer_id,
        accepted=message.accepted,
        now=now,
        away_after=away_after,
        device_id=device.id,
    )
    handed = None
    if outcome.offer.status == "accepted":
        handed = (outcome.previous_agent_id, outcome.offer.expert_staff_id)
    return _snaps(db_session, outcome), handed


async def on_answer(session: DeviceSession, message) -> None:
    """The customer's yes or no, from their assistant."""
    live = session.live
    snaps, handed = await live.run_db(
        committed(_answer),
        device=session.device,
        message=message,
        now=live.now(),
        away_after=timedelta(minutes=live.settings.staff_away_minutes),
    )
    await _publish(live, snaps, handed)


def _expire(*, db_session: Session, now):
    return [
        _snaps(db_session, outcome)
        for outcome in service.expire_offers(db_session=db_session, now=now)
    ]


async def expire_offers(live: LiveServices) -> None:
    """The job: offers unanswered for `expert_offer_seconds` end; both sides see it."""
    ended = await live.run_db(committed(_expire), now=live.now())
    for snaps in ended:
        await _publish(live, snaps, None)


def _own_offer(*, db_session: Session, sender, message) -> None:
    """The offer is in a conversation of the device's own customer."""
    offer = db_session.get(ExpertOffer, message.offer_id)
    conversation = db_session.get(Conversation, offer.conversation_id) if offer else None
    if conversation is None or conversation.customer_id != sender.customer_id:
        raise OfferNotFound()


OWN_OFFER = Relation("own offer of an expert", _own_offer)
DEVICE_KINDS = {
    "offer.answer": device_kind(on_answer, relation=OWN_OFFER),
}
