"""Who of the staff may see a conversation and write in it: the one rule behind the
conversation page and its actions (`chat.deps`), and behind every staff-channel frame that
names a conversation (`chat.staff_handlers`).

A staff member's relation to a conversation, from its status and its agent:

    supervisor   an admin: sees and writes in every conversation
    assigned     its agent (routed to them, taken, or handed over to them): sees it and
                 writes in it; keeps seeing it once closed
    queue        it waits in the queue: every agent sees it, to take it; writes once taken
    ticket       a ticket, answered or not: every agent sees and answers it
    expert       an expert's own pre-chat (its agent is the expert, `expert_desk`): sees
                 it and writes in it, keeps seeing it once closed
    none         anyone else: a colleague's live chat, a closed chat that was not theirs,
                 and experts in every conversation that is not theirs

An agent who hands a chat over to a colleague loses it with the handover.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.models import EXPERT_ROLE
from agent_portal.chat.errors import N_, ConversationForbidden, ConversationNotFound
from agent_portal.chat.models import Conversation
from agent_portal.chat.routing import CHAT_ROLES

TICKET_STATUSES = ("ticket", "answered")
PRECHAT = "expert_prechat"  # the kind of conversation an expert has with a customer
# Who may open a conversation at all; the relation decides which ones.
CONVERSATION_ROLES = (*CHAT_ROLES, EXPERT_ROLE)


class Relation(StrEnum):
    supervisor = "supervisor"
    assigned = "assigned"
    expert = "expert"
    queue = "queue"
    ticket = "ticket"
    none = "none"


class Access(StrEnum):
    see = "see"  # the history, the customer's name and files, the live events
    write = "write"  # messages, files and typing to the customer


class StaffFacts(Protocol):
    id: int
    role: str


class ConversationFacts(Protocol):
    status: str
    agent_id: int | None
    kind: str


class Facts(NamedTuple):
    """A conversation's status, agent and kind, without the rest of it (the socket's
    check)."""

    status: str
    agent_id: int | None
    kind: str = "hotline"


def relation(staff: StaffFacts, conversation: ConversationFacts) -> Relation:
    if staff.role == "admin":
        return Relation.supervisor
    if staff.role == EXPERT_ROLE:
        own = conversation.agent_id == staff.id and conversation.kind == PRECHAT
        return Relation.expert if own else Relation.none
    if staff.role != "agent":
        return Relation.none
    if conversation.agent_id == staff.id:
        return Relation.assigned
    if conversation.status == "queued":
        return Relation.queue
    if conversation.status in TICKET_STATUSES:
        return Relation.ticket
    return Relation.none


def refusal(
    staff: StaffFacts, conversation: ConversationFacts, access: Access
) -> ConversationForbidden | None:
    """Why `staff` may not have `access` to the conversation; None when they may."""
    found = relation(staff, conversation)
    if found is Relation.none:
        if staff.role == EXPERT_ROLE:
            return ConversationForbidden(N_("Experts see only their own customers' chats."))
        if staff.role not in CHAT_ROLES:
            return ConversationForbidden(N_("Only hotline agents and admins see conversations."))
        if conversation.status == "closed":
            return ConversationForbidden(N_("This conversation is closed and was not yours."))
        return ConversationForbidden(
            N_("This chat belongs to a colleague; ask them to hand it over.")
        )
    if access is Access.write and found is Relation.queue:
        return ConversationForbidden(N_("Take the conversation from the queue before you write."))
    return None


def ensure(staff: StaffFacts, conversation: ConversationFacts, access: Access) -> None:
    """Raises the refusal (ConversationForbidden) unless `staff` may have `access`."""
    problem = refusal(staff, conversation, access)
    if problem is not None:
        raise problem


def sees(staff: StaffFacts, conversation: ConversationFacts) -> bool:
    return refusal(staff, conversation, Access.see) is None


def facts(*, db_session: Session, conversation_id: int) -> Facts:
    """The status, agent and kind of the conversation (ConversationNotFound if there is
    none): one row of three columns, for a check on every frame."""
    row = db_session.execute(
        select(Conversation.status, Conversation.agent_id, Conversation.kind).where(
            Conversation.id == conversation_id
        )
    ).first()
    if row is None:
        raise ConversationNotFound()
    return Facts(row.status, row.agent_id, row.kind)


def expert_serves_customer(*, db_session: Session, staff_id: int, customer_id: int) -> bool:
    """An expert relates to a customer who started a pre-chat with them: the customer's
    devices and the reports the customer allowed are theirs to read, as the chat shows."""
    return (
        db_session.scalar(
            select(Conversation.id)
            .where(
                Conversation.kind == PRECHAT,
                Conversation.agent_id == staff_id,
                Conversation.customer_id == customer_id,
            )
            .limit(1)
        )
        is not None
    )
