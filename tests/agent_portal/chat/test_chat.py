"""Live chat between the customer's assistant (the real client) and an agent's portal tab
(the staff channel): routing by skill and load, the queue the customer sees, messages both
ways with numbers and acknowledgements, each shown once, typing, attachments and their
limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from assistant.escalation import Attachment, AttachmentTooLarge, MessageTooLong, ServerRefused
from tests.support.live import wait_until


def texts(assistant, conversation_id):
    return [(m.seq, m.sender.value, m.text) for m in assistant.messages(conversation_id)]


def next_new_message(tab, conversation_id: int, after: int) -> dict:
    """The next message past `after`, as the portal's page shows it: the takeover's line
    can reach the tab twice, on the agent's own channel and on the conversation's, which
    the tab begins to watch while it is on its way; the page shows each number once."""
    while True:
        frame = tab.next("chat.message", conversation_id=conversation_id)
        if frame["message"]["seq"] > after:
            return frame


def test_a_chat_goes_to_the_skilled_agent_and_messages_flow_both_ways(
    portal, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    world.staff("ben.wifi", topics=["email"])  # online, but without the skill
    anna = world.staff("anna.berger", topics=["wifi", "internet"])
    ben = staff_client(world.staff("ben.mail", topics=["email"]))
    tab = staff_client(anna)
    tab.next("presence", kind="staff", id=anna.id)
    assistant = assistant_for(key)

    info = assistant.call(assistant.help.start_chat("wifi", "My Wi-Fi drops every evening."))
    assert info.status.value == "active"
    assert info.agent_name == "Anna"
    assert assistant.help.status_text(info) == "You are chatting with Anna."
    tab.next("chat.message", conversation_id=info.id)  # "Anna took over the chat."
    tab.send({"type": "watch", "conversation_id": info.id})

    sent = assistant.call(assistant.help.send(info.id, "It started last week."))
    assert sent.seq == 3
    arrived = next_new_message(tab, info.id, after=2)
    assert arrived["message"]["text"] == "It started last week."
    assert arrived["message"]["sender"] == "customer"

    tab.send(
        {
            "type": "chat.send",
            "conversation_id": info.id,
            "client_msg_id": "m-1",
            "text": "Please restart the router.",
        }
    )
    ack = tab.next("chat.ack", client_msg_id="m-1")
    assert ack["seq"] == 4
    wait_until(lambda: len(assistant.messages(info.id)) == 4, what="the agent's answer")
    assert texts(assistant, info.id) == [
        (1, "customer", "My Wi-Fi drops every evening."),
        (2, "system", ""),
        (3, "customer", "It started last week."),
        (4, "agent", "Please restart the router."),
    ]
    assert [seq for _cid, m in assistant.shown for seq in [m.seq]] == [1, 2, 3, 4]
    assert assistant.help.message_text(assistant.messages(info.id)[1]) == (
        "Anna is now looking after you."
    )
    with pytest.raises(AssertionError):
        ben.next("chat.message", timeout=0.5)  # nothing for the colleague without the skill


def test_a_repeated_send_is_stored_once_and_acknowledged_each_time(
    portal, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["internet"])
    tab = staff_client(anna)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("internet", "No internet since noon."))
    frame = {
        "type": "chat.send",
        "conversation_id": info.id,
        "client_msg_id": "same",
        "text": "Hello?",
    }
    tab.send(frame)
    first = tab.next("chat.ack", client_msg_id="same")
    tab.send(frame)
    again = tab.next("chat.ack", client_msg_id="same")
    assert first["seq"] == again["seq"]
    stored = world.rows(ChatMessage, ChatMessage.conversation_id == info.id)
    assert [m.text for m in stored].count("Hello?") == 1
    wait_until(lambda: any(m.text == "Hello?" for m in assistant.messages(info.id)))
    assert [m.text for m in assistant.messages(info.id)].count("Hello?") == 1


def test_the_customer_sees_the_queue_position_and_gets_the_next_free_agent(
    portal, world, assistant_for, staff_client
):
    """One agent, one chat at a time: the second and third customer wait, numbered."""
    world.settings.chat_max_per_agent = 1
    anna = world.staff("anna.berger", topics=["email"])
    tab = staff_client(anna)
    tab.next("presence", kind="staff", id=anna.id)
    assistants = []
    for number, name in enumerate(["Erika", "Max", "Jana"], start=1):
        customer = world.customer(f"K-10000{number}", name=f"{name} Mustermann")
        _device, key = world.device(customer)
        assistants.append(assistant_for(key))
    infos = [
        one.call(one.help.start_chat("email", f"Mail problem {i}"))
        for i, one in enumerate(assistants)
    ]
    assert [info.status.value for info in infos] == ["active", "queued", "queued"]
    assert [info.queue_position for info in infos[1:]] == [1, 2]
    next_in_line = "You are next. An agent will be with you shortly."
    assert assistants[1].help.status_text(infos[1]) == next_in_line
    assert assistants[2].help.status_text(infos[2]) == "You are number 2 in the queue."

    tab.send(
        {
            "type": "chat.send",
            "conversation_id": infos[0].id,
            "client_msg_id": "bye",
            "text": "Solved, goodbye.",
        }
    )
    tab.next("chat.ack", client_msg_id="bye")
    assistants[0].call(assistants[0].help.chat.close_conversation(infos[0].id))
    # Anna is free again: Max gets her, Jana moves up.
    wait_until(
        lambda: assistants[1].help.chat.conversation(infos[1].id).status.value == "active",
        what="the next customer gets the agent",
    )
    wait_until(
        lambda: assistants[2].help.chat.conversation(infos[2].id).queue_position == 1,
        what="the last customer moves up",
    )


def test_attachments_up_to_the_limit_and_a_clear_error_beyond(
    portal, world, assistant_for, staff_client
):
    world.settings.chat_attachment_max_bytes = 2000
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["computer"])
    staff_client(anna)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("computer", "The screen flickers."))
    picture = Attachment("screen.png", "image/png", b"\x89PNG" + b"x" * 1500)
    sent = assistant.call(assistant.help.send(info.id, "Here is a screenshot.", picture))
    assert sent.attachment.filename == "screen.png" and sent.attachment.size_bytes == 1504
    with world.session() as db_session:
        stored = db_session.scalars(select(ChatAttachment)).one()
        assert stored.data == picture.data

    too_big = Attachment("video.mp4", "video/mp4", b"0" * 2001)
    with pytest.raises(AttachmentTooLarge) as refused:
        assistant.call(assistant.help.send(info.id, "And a video.", too_big))
    assert refused.value.text() == "The file is too large (2 kB). Files up to 2 kB can be sent."
    # The server holds the line too, for a client that does not check.
    with pytest.raises(ServerRefused) as server_said:
        assistant.call(_send_unchecked(assistant, info.id, b"0" * 2001))
    assert server_said.value.code == "attachment_too_large"
    # The server's words, in the customer's language (German here), are for the log.
    assert "zu groß (2 kB)" in server_said.value.message
    assert world.count(ChatAttachment) == 1
    assert world.count(ChatMessage, ChatMessage.conversation_id == info.id) == 3


async def _send_unchecked(assistant, conversation_id, data):
    """Sends through the real client with its own size check switched off."""
    limits = assistant.help.channel.limits
    assistant.help.channel.limits = None
    try:
        return await assistant.help.send(
            conversation_id, "", Attachment("v.mp4", "video/mp4", data)
        )
    finally:
        assistant.help.channel.limits = limits


def test_typing_shows_on_the_other_side(portal, world, assistant_for, staff_client):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["security"])
    tab = staff_client(anna)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("security", "A strange pop-up."))
    assistant.call(assistant.help.chat.typing(info.id, True))
    typing = tab.next("chat.typing", conversation_id=info.id)
    assert (typing["sender"], typing["typing"]) == ("customer", True)
    tab.send({"type": "chat.typing", "conversation_id": info.id, "typing": True})
    wait_until(lambda: (info.id, True) in assistant.typing, what="the agent's typing")


def test_an_agent_cannot_write_in_a_colleagues_chat(portal, world, assistant_for, staff_client):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"])
    staff_client(anna)
    ben = staff_client(world.staff("ben.keller", topics=[]))
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "Slow Wi-Fi."))
    ben.send(
        {
            "type": "chat.send",
            "conversation_id": info.id,
            "client_msg_id": "x",
            "text": "Hi, I am Ben.",
        }
    )
    error = ben.next("error", client_msg_id="x")
    assert error["message"] == "This chat belongs to a colleague; ask them to hand it over."
    assert world.count(ChatMessage, ChatMessage.text == "Hi, I am Ben.") == 0
    with world.session() as db_session:
        assert db_session.get(Conversation, info.id).agent_id == anna.id


@pytest.mark.portal_settings(chat_message_max_chars=100)
def test_a_message_over_the_servers_limit_is_refused_whole_and_never_cut(
    portal, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"])
    tab = staff_client(anna)
    tab.next("presence", kind="staff", id=anna.id)
    assistant = assistant_for(key)
    assert assistant.help.chat.message_limit == 100  # the server's, from its welcome
    long_text = "x" * 150

    with pytest.raises(MessageTooLong) as refused:
        assistant.call(assistant.help.start_chat("wifi", long_text))
    assert refused.value.text() == (
        "The message is too long: 150 characters. Messages of up to 100 characters can be sent."
    )
    with pytest.raises(ServerRefused) as server_said:  # a client that does not check
        assistant.call(_unchecked(assistant, assistant.help.start_chat("wifi", long_text)))
    assert server_said.value.code == "message_too_long"
    assert world.count(Conversation) == 0

    info = assistant.call(assistant.help.start_chat("wifi", "y" * 100))
    with pytest.raises(ServerRefused) as server_said:
        assistant.call(_unchecked(assistant, assistant.help.send(info.id, long_text)))
    assert (server_said.value.code, server_said.value.message) == (
        "message_too_long",
        "Die Nachricht ist zu lang: 150 Zeichen, erlaubt sind höchstens 100.",
    )
    tab.send(
        {"type": "chat.send", "conversation_id": info.id, "client_msg_id": "a", "text": long_text}
    )
    error = tab.next("error", client_msg_id="a")
    assert (error["code"], error["conversation_id"]) == ("message_too_long", info.id)
    stored = world.rows(ChatMessage, ChatMessage.sender != "system", order=ChatMessage.seq)
    assert [len(message.text) for message in stored] == [100]  # whole, and nothing cut


async def _unchecked(assistant, sending):
    """Sends through the real client with its own checks of the server's limits off."""
    limits = assistant.help.channel.limits
    assistant.help.channel.limits = None
    try:
        return await sending
    finally:
        assistant.help.channel.limits = limits
