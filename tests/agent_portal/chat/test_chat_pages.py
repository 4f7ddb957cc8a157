"""What agents do on the chat pages with plain form posts: take a waiting customer, hand a
chat to a topic's queue, send a file, close; and the clear refusals when a handover
cannot be (an offline colleague, no target) or a file is too large, with nothing changed."""

from __future__ import annotations

import re

import httpx

from agent_portal.chat import service
from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation, ConversationNote
from agent_portal.database import utcnow
from agent_portal.mail.models import OutboundEmail
from tests.agent_portal.auth.accounts import page_error
from tests.agent_portal.chat.test_chat_service import route, start
from tests.support.live import wait_until


def form_token(client: httpx.Client, conversation_id: int) -> str:
    page = client.get(f"/portal/chats/{conversation_id}")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_take_hand_to_a_queue_send_a_file_and_close(
    portal, world, assistant_for, staff_client, agent_http
):
    world.settings.chat_attachment_max_bytes = 1000
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    ben = world.staff("ben.keller", name="Ben Keller")
    staff_client(anna)
    staff_client(ben)
    world.settings.chat_max_per_agent = 1
    first = assistant_for(key)
    busy = first.call(first.help.start_chat("wifi", "First customer."))
    other = world.customer("K-300001", name="Max Mustermann")
    _other_device, other_key = world.device(other)
    waiting = assistant_for(other_key)
    info = waiting.call(waiting.help.start_chat("wifi", "Is anyone there?"))
    assert (busy.agent_name, info.status.value, info.queue_position) == ("Anna Berger", "queued", 1)

    ben_web = agent_http(ben)
    token = form_token(ben_web, info.id)
    taken = ben_web.post(f"/portal/chats/{info.id}/take", data={"csrf_token": token})
    assert taken.status_code == 303
    wait_until(lambda: waiting.help.chat.conversation(info.id).agent_name == "Ben Keller")

    refused = ben_web.post(
        f"/portal/chats/{info.id}/transfer", data={"csrf_token": token, "note": "?"}
    )
    assert refused.status_code == 409
    assert page_error(refused.text) == "Choose a colleague or a topic to hand the conversation to."
    nobody = world.staff("carla.weiss", name="Carla Weiss")  # has no tab open
    refused = ben_web.post(
        f"/portal/chats/{info.id}/transfer",
        data={"csrf_token": token, "target": f"staff:{nobody.id}", "note": "?"},
    )
    assert page_error(refused.text) == "Carla Weiss is offline and cannot take a live chat now."
    with world.session() as db_session:
        assert db_session.get(Conversation, info.id).agent_id == ben.id
    assert world.count(ConversationNote) == 0

    picture = ("router.png", b"\x89PNG" + b"r" * 200, "image/png")
    sent = ben_web.post(
        f"/portal/chats/{info.id}/attachments",
        data={"csrf_token": token, "text": "This is how the lights should look."},
        files={"file": picture},
    )
    assert sent.status_code == 303
    arrived = wait_until(
        lambda: [m for m in waiting.messages(info.id) if m.attachment is not None],
        what="the file in the assistant",
    )[0]
    assert arrived.text == "This is how the lights should look."
    data = waiting.call(waiting.help.chat.download(info.id, arrived.attachment.id))
    assert data == picture[1]
    too_big = ben_web.post(
        f"/portal/chats/{info.id}/attachments",
        data={"csrf_token": token},
        files={"file": ("film.mp4", b"0" * 1001, "video/mp4")},
    )
    assert too_big.status_code == 400
    assert "too large" in page_error(too_big.text) and "at most 1 kB" in page_error(too_big.text)
    assert world.count(ChatAttachment) == 1

    handed = ben_web.post(
        f"/portal/chats/{info.id}/transfer",
        data={"csrf_token": token, "target": "topic:contract", "note": "About the contract."},
    )
    assert handed.status_code == 303
    wait_until(lambda: waiting.help.chat.conversation(info.id).status.value == "queued")
    assert waiting.help.chat.conversation(info.id).topic.value == "contract"

    closed = ben_web.post(f"/portal/chats/{info.id}/close", data={"csrf_token": token})
    assert closed.status_code == 303
    wait_until(lambda: waiting.help.chat.conversation(info.id).status.value == "closed")
    assert waiting.help.status_text(waiting.help.chat.conversation(info.id)) == (
        "This conversation has ended."
    )


def test_file_sizes_on_the_conversation_page_are_written_in_the_readers_language(world, agent_http):
    customer = world.customer()
    conversation = start(world, customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    for name, size in (("note.txt", 41), ("photo.jpg", 30_400)):
        with world.session() as db_session:
            service.post_message(
                db_session=db_session,
                conversation=db_session.get(Conversation, conversation.id),
                sender="customer",
                client_msg_id=name,
                text="",
                now=utcnow(),
                attachment=service.NewAttachment(name, "application/octet-stream", b"x" * size),
                attachment_limit=world.settings.chat_attachment_max_bytes,
            )
            db_session.commit()
    web = agent_http(anna)
    german = web.get(f"/portal/chats/{conversation.id}?lang=de").text
    english = web.get(f"/portal/chats/{conversation.id}?lang=en").text
    assert "(41 Byte)" in german and "(30,4 kB)" in german
    assert "(41 bytes)" in english and "(30.4 kB)" in english
    assert "Datei senden (höchstens 2 MB)" in german  # the default limit, in round units
    assert not re.search(r"\bKB\b", german + english)  # a word, not part of a random token


def handover_choices(html: str) -> list[str]:
    menu = re.search(r'<optgroup label="Colleague">(.*?)</optgroup>', html, re.S).group(1)
    return [name.strip() for name in re.findall(r"<option [^>]*>([^<(]+)", menu)]


def test_the_handover_menu_offers_only_colleagues_who_can_take_the_chat(world, agent_http):
    conversation = start(world, world.customer())  # waits in the queue
    tom = world.staff("tom.richter", name="Tom Richter")
    world.staff("anna.berger", name="Anna Berger")
    world.staff("ada.admin", role="admin", name="Ada Admin")
    world.staff("eva.expert", role="expert", name="Eva Expert")
    former = world.staff("olga.former", name="Olga Former")
    with world.session() as db_session:
        db_session.get(type(former), former.id).is_active = False
        db_session.commit()
    page = agent_http(tom).get(f"/portal/chats/{conversation.id}")
    assert page.status_code == 200
    # Not Tom himself (he takes it instead), no expert, nobody deactivated.
    assert sorted(handover_choices(page.text)) == ["Ada Admin", "Anna Berger"]


def test_the_upload_form_refuses_a_text_over_the_limit_whole(world, agent_http):
    conversation = start(world, world.customer())
    assert route(world, conversation).outcome == "ticket"  # nobody online
    web = agent_http(world.staff("anna.berger", name="Anna Berger"))
    token = form_token(web, conversation.id)
    for language, expected in (
        ("en", "The message is too long: 4,500 characters, at most 4,000 are allowed."),
        ("de", "Die Nachricht ist zu lang: 4.500 Zeichen, erlaubt sind höchstens 4.000."),
    ):
        refused = web.post(
            f"/portal/chats/{conversation.id}/attachments?lang={language}",
            data={"csrf_token": token, "text": "x" * 4_500},
            files={"file": ("steps.txt", b"1. Restart the router.", "text/plain")},
        )
        assert refused.status_code == 400
        assert page_error(refused.text) == expected
    assert world.count(ChatAttachment) == 0
    assert [m.text for m in world.rows(ChatMessage, ChatMessage.sender != "system")] == ["Hello"]
    assert world.count(OutboundEmail) == 0  # no answer went out by mail either


def notice(html: str) -> str:
    match = re.search(r'<p class="notice" role="status">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_each_action_redirects_to_a_page_that_says_what_was_done(world, agent_http):
    """Post, redirect, get: a reload repeats nothing, the language switch works at once."""
    conversation = start(world, world.customer())
    assert route(world, conversation).outcome == "ticket"
    anna = world.staff("anna.berger", name="Anna Berger")
    web = agent_http(anna)
    token = form_token(web, conversation.id)
    page = f"/portal/chats/{conversation.id}"
    steps = [
        ("take", {}, {}, f"{page}?done=taken", "You have taken the conversation."),
        (
            "attachments",
            {"text": "The steps."},
            {"file": ("steps.txt", b"1. Restart.", "text/plain")},
            f"{page}?done=file_sent",
            "Your file has been sent.",
        ),
        (
            "transfer",
            {"target": "topic:contract"},
            {},
            f"{page}?done=handed_over_topic",
            "The conversation has been handed over to the queue of its new topic.",
        ),
        ("close", {}, {}, "/portal/inbox?done=closed", "The conversation has been closed."),
    ]
    for action, data, files, location, told in steps:
        done = web.post(f"{page}/{action}", data={"csrf_token": token, **data}, files=files or None)
        assert (done.status_code, done.headers.get("location")) == (303, location), action
        assert notice(web.get(location).text) == told
        assert notice(web.get(location + "&lang=de").text) not in ("", told)
        web.get(f"{page}?lang=en")
    assert world.count(ChatAttachment) == 1
