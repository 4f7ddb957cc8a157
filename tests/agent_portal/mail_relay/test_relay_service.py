"""The relay's rules on both databases: who gets a copy of which message, in which
language, with which reply address; what opting in does twice; a reply by mail added as a
message of its sender, and a stranger's refused with nothing stored but the audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_portal.audit.models import AuditEntry
from agent_portal.chat import service as chat
from agent_portal.chat.models import ChatMessage
from agent_portal.database import utcnow
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail_relay import service as relay
from agent_portal.mail_relay.errors import (
    ConversationEnded,
    NothingNew,
    ReplyTooLarge,
    SenderNotParticipant,
    UnknownReplyAddress,
)
from agent_portal.mail_relay.extract import MailAttachment, Reply
from tests.agent_portal.mail_relay.support import RELAY_DOMAIN, post, relayed_chat


def queue_round(world) -> int:
    with world.session() as db_session:
        queued = relay.queue_copies(
            db_session=db_session, now=utcnow(), domain=RELAY_DOMAIN, default_language="en"
        )
        db_session.commit()
        return queued


def test_each_message_goes_to_the_other_side_once_with_their_own_reply_address(world):
    relayed = relayed_chat(world)
    assert queue_round(world) == 0  # what was said before the relay is not mailed
    post(world, relayed, "customer", "It still asks.", "c1")
    post(world, relayed, "agent", "Please enter the new password.", "a1")
    assert queue_round(world) == 2
    assert queue_round(world) == 0  # nothing twice
    mails = {mail.to_address: mail for mail in world.rows(OutboundEmail)}
    to_anna, to_erika = mails["anna.berger@isp.example.net"], mails["erika@example.de"]
    assert to_anna.from_name == "Erika Mustermann"
    assert to_anna.reply_to == relayed.address(relayed.staff_token)
    assert "It still asks." in to_anna.body
    assert to_anna.subject == "Your conversation about: E-mail"  # staff: the default language
    assert to_erika.from_name == "Anna Berger"
    assert to_erika.reply_to == relayed.address(relayed.customer_token)
    assert to_erika.subject == "Ihr Gespräch zum Thema: E-Mail"  # the customer's language
    assert "Anna Berger schreibt:" in to_erika.body
    assert "Please enter the new password." in to_erika.body
    assert "Antworten Sie auf diese E-Mail" in to_erika.body
    for mail in mails.values():  # never the other side's address
        other = "erika@example.de" if mail is to_anna else "anna.berger@isp.example.net"
        assert other not in f"{mail.subject}{mail.body}{mail.reply_to}{mail.from_name}"


def test_tokens_are_128_bit_unique_and_only_this_domain_s_addresses_carry_one(world):
    relayed = relayed_chat(world)
    assert relayed.customer_token != relayed.staff_token
    assert len(relayed.customer_token) == 26
    address = relayed.address(relayed.customer_token)
    assert relay.token_of(address.upper(), RELAY_DOMAIN) == relayed.customer_token
    assert relay.token_of(address, "other.example.net") is None
    assert relay.token_of(f"x-{relayed.customer_token}@{RELAY_DOMAIN}", RELAY_DOMAIN) is None
    assert relay.token_of(f"r-short@{RELAY_DOMAIN}", RELAY_DOMAIN) is None


def test_a_staff_member_without_an_address_gets_no_copies_and_opting_in_again_adds_nobody_twice(
    world,
):
    relayed = relayed_chat(world, staff_email=None)
    with world.session() as db_session:
        conversation = chat.get_conversation(
            db_session=db_session, conversation_id=relayed.conversation_id
        )
        relay.enable(db_session=db_session, conversation=conversation, now=utcnow())
        db_session.commit()
        assert len(relay.participants(db_session=db_session, conversation_id=conversation.id)) == 2
    post(world, relayed, "customer", "Hello?", "c1")
    post(world, relayed, "agent", "Hello!", "a1")
    assert queue_round(world) == 1
    assert [m.to_address for m in world.rows(OutboundEmail)] == ["erika@example.de"]


def accept(world, token, *, sender="erika@example.de", from_=None, text="Danke!", **extra):
    with world.session() as db_session:
        try:
            return relay.accept_reply(
                db_session=db_session,
                token=token,
                envelope_sender=sender,
                from_addresses=[from_ or sender],
                reply=Reply(text=text, attachments=extra.pop("attachments", [])),
                mail_id=extra.pop("mail_id", "<1@example.de>"),
                now=utcnow(),
                text_limit=extra.pop("text_limit", 4000),
                attachment_limit=extra.pop("attachment_limit", 1000),
            )
        finally:
            db_session.commit()  # what a refusal leaves: its audit entry, nothing else


def customer_texts(world, relayed) -> list[str]:
    return [
        m.text
        for m in world.rows(
            ChatMessage,
            ChatMessage.conversation_id == relayed.conversation_id,
            ChatMessage.sender == "customer",
            order=ChatMessage.seq,
        )
    ]


def test_a_reply_by_mail_is_a_message_of_its_participant_and_is_stored_once(world):
    relayed = relayed_chat(world)
    accepted = accept(world, relayed.customer_token, sender="Erika@Example.de")
    assert [s.messages[0].text for s in accepted.snapshots] == ["Danke!"]
    assert accept(world, relayed.customer_token).repeated  # the same mail delivered again
    assert customer_texts(world, relayed) == ["Outlook asks for my password.", "Danke!"]
    accept(world, relayed.staff_token, sender="anna.berger@isp.example.net", text="Gern.")
    (staff_message,) = world.rows(ChatMessage, ChatMessage.sender == "agent")
    assert (staff_message.text, staff_message.staff_id) == ("Gern.", relayed.staff.id)
    # Anna's own reply goes to Erika, not back to Anna.
    assert queue_round(world) == 2
    assert sorted(m.to_address for m in world.rows(OutboundEmail)) == [
        "anna.berger@isp.example.net",
        "erika@example.de",
    ]


@pytest.mark.parametrize(
    ("sender", "from_"),
    [
        ("mallory@example.com", "mallory@example.com"),
        ("mallory@example.com", "erika@example.de"),  # a forged From does not help
        ("erika@example.de", "mallory@example.com"),
        ("anna.berger@isp.example.net", None),  # the other participant, on the wrong token
    ],
)
def test_a_reply_from_anyone_but_the_participant_is_refused_and_audited(world, sender, from_):
    relayed = relayed_chat(world)
    with pytest.raises(SenderNotParticipant):
        accept(world, relayed.customer_token, sender=sender, from_=from_)
    assert customer_texts(world, relayed) == ["Outlook asks for my password."]
    (entry,) = world.rows(AuditEntry, AuditEntry.event == "mail_relay_reply_refused")
    assert entry.data["conversation_id"] == relayed.conversation_id


def test_unknown_tokens_closed_conversations_empty_and_oversized_replies_store_nothing(world):
    relayed = relayed_chat(world)
    with pytest.raises(UnknownReplyAddress):
        accept(world, "a" * 26)
    with pytest.raises(NothingNew):
        accept(world, relayed.customer_token, text="")
    with pytest.raises(ReplyTooLarge):
        accept(world, relayed.customer_token, text="x" * 11, text_limit=10)
    big = MailAttachment("big.pdf", "application/pdf", b"x" * 1001)
    with pytest.raises(ReplyTooLarge):
        accept(world, relayed.customer_token, attachments=[big])
    with world.session() as db_session:
        conversation = chat.get_conversation(
            db_session=db_session, conversation_id=relayed.conversation_id
        )
        chat.close_conversation(
            db_session=db_session, conversation=conversation, by="agent", now=utcnow()
        )
        db_session.commit()
    with pytest.raises(ConversationEnded):
        accept(world, relayed.customer_token)
    assert customer_texts(world, relayed) == ["Outlook asks for my password."]
    assert world.count(AuditEntry, AuditEntry.event == "mail_relay_reply_refused") == 0


def test_attachments_of_a_reply_become_conversation_attachments(world):
    relayed = relayed_chat(world)
    files = [
        MailAttachment("screen.png", "image/png", b"\x89PNG..."),
        MailAttachment("../../log.txt", "text/plain", b"error 42"),
    ]
    accept(world, relayed.customer_token, text="See attached.", attachments=files)
    with world.session() as db_session:
        stored = db_session.scalars(
            select(ChatMessage)
            .where(
                ChatMessage.conversation_id == relayed.conversation_id,
                ChatMessage.client_msg_id.like("mail-%"),
            )
            .order_by(ChatMessage.seq)
        ).all()
        assert [(m.text, m.attachment.filename) for m in stored] == [
            ("See attached.", "screen.png"),
            ("", "log.txt"),
        ]
