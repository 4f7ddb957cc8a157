"""The mail relay's rules: which conversations are relayed and to whom, the copies of new
messages queued in the outbox, and a reply received by mail added to its conversation.
Functions on a database session that flush and never commit (the job or the receiver that
owns the work commits).

Reply addresses are `r-<token>@<relay domain>`: the token, 128 random bits, names one
participant of one conversation. A reply is taken only when both the envelope's sender and
the From header are that participant's own address, so knowing a token alone is not
enough to write into a conversation.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.audit.service import Actor
from agent_portal.chat import flows, tickets
from agent_portal.chat import service as chat
from agent_portal.chat.errors import (
    AttachmentInvalid,
    AttachmentTooLarge,
    ConversationClosed,
    MessageTooLong,
)
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.mail import service as outbox
from agent_portal.mail_relay import texts
from agent_portal.mail_relay.audit_events import Event
from agent_portal.mail_relay.errors import (
    ConversationEnded,
    NothingNew,
    ReplyTooLarge,
    SenderNotParticipant,
    UnknownReplyAddress,
)
from agent_portal.mail_relay.extract import Reply
from agent_portal.mail_relay.models import RelayedConversation, RelayParticipant

TOKEN_BYTES = 16  # 128 bits
LOCAL_PREFIX = "r-"
COPIES_PER_ROUND = 200  # participants looked at in one round of the job


def new_token() -> str:
    """128 random bits in lower-case base32 (26 letters and digits): safe in any mail
    system, which may fold the local part's case."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii").rstrip("=").lower()


def reply_address(token: str, domain: str) -> str:
    return f"{LOCAL_PREFIX}{token}@{domain}"


def token_of(address: str, domain: str) -> str | None:
    """The token of a reply address of this relay domain; None for any other address."""
    local, at, address_domain = address.strip().strip("<>").rpartition("@")
    if not at or address_domain.lower().rstrip(".") != domain.lower().rstrip("."):
        return None
    local = local.lower()
    if not local.startswith(LOCAL_PREFIX):
        return None
    token = local.removeprefix(LOCAL_PREFIX)
    if len(token) != 26 or not token.isalnum():
        return None
    return token


def same_address(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return False
    return one.strip().strip("<>").casefold() == other.strip().strip("<>").casefold()


# --- opting in -------------------------------------------------------------------------


def enable(
    *,
    db_session: Session,
    conversation: Conversation,
    now: datetime,
    staff_ids: Iterable[int] = (),
    subject: str | None = None,
) -> RelayedConversation:
    """Relays the conversation from now on (its earlier messages are not mailed): to its
    customer and to the staff members named (by default its agent). Again: adds the staff
    members not yet in, keeps everything else."""
    if subject is not None:  # one line in a mail header, whoever wrote it
        subject = " ".join(subject.split())[:200] or None
    relayed = db_session.get(RelayedConversation, conversation.id)
    if relayed is None:
        relayed = RelayedConversation(
            conversation_id=conversation.id, subject=subject, enabled_at=now
        )
        db_session.add(relayed)
        db_session.flush()
        _add_participant(db_session, conversation, "customer", None, now)
    elif subject is not None:
        relayed.subject = subject
    staff_ids = list(staff_ids) or ([conversation.agent_id] if conversation.agent_id else [])
    for staff_id in staff_ids:
        add_staff(db_session=db_session, conversation=conversation, staff_id=staff_id, now=now)
    db_session.flush()
    return relayed


def add_staff(
    *, db_session: Session, conversation: Conversation, staff_id: int, now: datetime
) -> RelayParticipant:
    existing = db_session.scalar(
        select(RelayParticipant).where(
            RelayParticipant.conversation_id == conversation.id,
            RelayParticipant.staff_id == staff_id,
        )
    )
    return existing or _add_participant(db_session, conversation, "staff", staff_id, now)


def _add_participant(db_session, conversation, role, staff_id, now) -> RelayParticipant:
    participant = RelayParticipant(
        conversation_id=conversation.id,
        role=role,
        staff_id=staff_id,
        token=new_token(),
        relayed_seq=conversation.last_seq,
        created_at=now,
    )
    db_session.add(participant)
    db_session.flush()
    return participant


def is_relayed(*, db_session: Session, conversation_id: int) -> bool:
    return db_session.get(RelayedConversation, conversation_id) is not None


def _relayed(db_session: Session, conversation_id: int) -> bool:
    return is_relayed(db_session=db_session, conversation_id=conversation_id)


# A relayed ticket's answer reaches the customer as the relay's copy, not a second mail.
tickets.add_mail_carrier(_relayed)


def participants(*, db_session: Session, conversation_id: int) -> list[RelayParticipant]:
    return list(
        db_session.scalars(
            select(RelayParticipant)
            .where(RelayParticipant.conversation_id == conversation_id)
            .order_by(RelayParticipant.id)
        )
    )


def participant_by_token(*, db_session: Session, token: str) -> RelayParticipant | None:
    return db_session.scalar(select(RelayParticipant).where(RelayParticipant.token == token))


def address_of(participant: RelayParticipant) -> str | None:
    """The participant's own e-mail address (never put in a mail to anyone else)."""
    if participant.role == "customer":
        return participant.relayed.conversation.customer.email
    return participant.staff.email if participant.staff is not None else None


def _language_of(participant: RelayParticipant, default_language: str) -> str:
    if participant.role == "customer":
        return participant.relayed.conversation.customer.language or default_language
    return default_language


def _is_own(participant: RelayParticipant, message: ChatMessage) -> bool:
    if participant.role == "customer":
        return message.sender == "customer"
    return message.sender == "agent" and message.staff_id == participant.staff_id


# --- outgoing: the copies of new messages ----------------------------------------------


def queue_copies(*, db_session: Session, now: datetime, domain: str, default_language: str) -> int:
    """Queues, in the outbox, a copy of every message not yet relayed to each participant
    (not their own, not the system's) and moves their mark past it; the number queued.
    Run by one worker at a time (a singleton job); the mark moves only from where this
    round found it, so a round that overlapped another stores nothing twice."""
    due = db_session.scalars(
        select(RelayParticipant)
        .join(Conversation, Conversation.id == RelayParticipant.conversation_id)
        .where(Conversation.last_seq > RelayParticipant.relayed_seq)
        .order_by(RelayParticipant.id)
        .limit(COPIES_PER_ROUND)
    ).all()
    queued = 0
    for participant in due:
        messages = chat.messages_after(
            db_session=db_session,
            conversation_id=participant.conversation_id,
            after_seq=participant.relayed_seq,
        )
        if not messages:
            continue
        to_address = address_of(participant)
        for message in messages:
            if to_address is None or message.sender == "system" or _is_own(participant, message):
                continue
            _queue_copy(db_session, participant, message, to_address, now, domain, default_language)
            queued += 1
        moved = db_session.execute(
            update(RelayParticipant)
            .where(
                RelayParticipant.id == participant.id,
                RelayParticipant.relayed_seq == participant.relayed_seq,
            )
            .values(relayed_seq=messages[-1].seq)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            raise RuntimeError("another round relayed these messages; this one stores nothing")
    db_session.flush()
    return queued


def _queue_copy(db_session, participant, message, to_address, now, domain, default_language):
    relayed = participant.relayed
    conversation = relayed.conversation
    sender_name = _sender_name(message, conversation)
    subject, body = texts.copy_email(
        language=_language_of(participant, default_language),
        subject=relayed.subject,
        topic=conversation.topic,
        sender_name=sender_name,
        message=message,
        expert_name=_expert_name(conversation),
    )
    outbox.enqueue(
        db_session=db_session,
        to_address=to_address,
        subject=subject,
        body=body,
        now=now,
        conversation_id=conversation.id,
        from_name=sender_name,
        reply_to=reply_address(participant.token, domain),
    )


def _expert_name(conversation: Conversation) -> str | None:
    if conversation.kind == "hotline" or conversation.agent is None:
        return None
    return conversation.agent.name


def _sender_name(message: ChatMessage, conversation: Conversation) -> str:
    if message.sender == "agent":
        return message.staff.name if message.staff is not None else ""
    return conversation.customer.name or conversation.customer.account_number


# --- incoming: a reply by mail ----------------------------------------------------------


@dataclass
class Accepted:
    """A reply added to its conversation: what to publish once committed."""

    snapshots: list[flows.Snapshot] = field(default_factory=list)
    status_changed: bool = False
    repeated: bool = False  # the same mail was delivered before; nothing new stored


def check_sender(
    *,
    db_session: Session,
    token: str,
    sender: str | None,
    now: datetime,
) -> int:
    """The participant's id when `sender` is their address; refuses (and writes the
    refusal to the audit log) otherwise. Unknown tokens are refused without an entry."""
    participant = participant_by_token(db_session=db_session, token=token)
    if participant is None:
        raise UnknownReplyAddress()
    if not same_address(sender, address_of(participant)):
        _record_refusal(db_session, participant, sender, now)
        raise SenderNotParticipant()
    return participant.id


def _record_refusal(db_session, participant, sender, now) -> None:
    conversation = participant.relayed.conversation
    audit.record(
        db_session=db_session,
        event=Event.MAIL_RELAY_REPLY_REFUSED,
        actor=Actor.anonymous(),
        now=now,
        customer=conversation.customer,
        conversation_id=conversation.id,
        sender=(sender or "<>")[:254],
    )


def accept_reply(
    *,
    db_session: Session,
    token: str,
    envelope_sender: str | None,
    from_addresses: list[str],
    reply: Reply,
    mail_id: str,
    now: datetime,
    text_limit: int,
    attachment_limit: int,
) -> Accepted:
    """Adds the reply to its conversation as a message of the token's participant: its
    text (with the first attachment) and one message for each further attachment, all or
    nothing. The same mail again (`mail_id`, e.g. its Message-ID) stores nothing new."""
    participant_id = check_sender(
        db_session=db_session, token=token, sender=envelope_sender, now=now
    )
    participant = db_session.get(RelayParticipant, participant_id)
    own = address_of(participant)
    if len(from_addresses) != 1 or not same_address(from_addresses[0], own):
        _record_refusal(db_session, participant, ", ".join(from_addresses), now)
        raise SenderNotParticipant()
    conversation = participant.relayed.conversation
    key = hashlib.sha256(f"{participant.id}\0{mail_id}".encode()).hexdigest()[:32]
    client_ids = [f"mail-{key}-{index}" for index in range(max(1, len(reply.attachments)))]
    if chat.find_by_client_msg_id(db_session, conversation.id, client_ids[0]) is not None:
        return Accepted(repeated=True)
    if conversation.status == "closed":
        raise ConversationEnded()
    if not reply.text and not reply.attachments:
        raise NothingNew()
    if len(reply.text) > text_limit:
        raise ReplyTooLarge(f"{len(reply.text)} characters, at most {text_limit}")
    attachments = [
        chat.NewAttachment(filename=a.filename, content_type=a.content_type, data=a.data)
        for a in reply.attachments
    ]
    for attachment in attachments:
        if len(attachment.data) > attachment_limit:
            raise ReplyTooLarge(
                f"attachment {attachment.filename} has {len(attachment.data)} bytes, "
                f"at most {attachment_limit}"
            )
    sender, staff_id = ("customer", None)
    if participant.role == "staff":
        sender, staff_id = ("agent", participant.staff_id)
    status_before = conversation.status
    accepted = Accepted()
    pieces = [(reply.text, attachments[0] if attachments else None)]
    pieces += [("", attachment) for attachment in attachments[1:]]
    try:
        for client_msg_id, (text, attachment) in zip(client_ids, pieces, strict=True):
            posted = chat.post_message(
                db_session=db_session,
                conversation=conversation,
                sender=sender,
                staff_id=staff_id,
                client_msg_id=client_msg_id,
                text=text,
                attachment=attachment,
                now=now,
                attachment_limit=attachment_limit,
                text_limit=text_limit,
            )
            accepted.snapshots.append(flows.message_snapshot(db_session, posted))
    except ConversationClosed:
        raise ConversationEnded() from None
    except (MessageTooLong, AttachmentTooLarge) as error:
        raise ReplyTooLarge(str(error)) from None
    except AttachmentInvalid as error:
        raise NothingNew(str(error)) from None
    accepted.status_changed = conversation.status != status_before
    db_session.flush()
    return accepted
