"""The server stores every attachment under a name that is safe on Windows, macOS and
Linux, whoever sent the file: an agent through the portal's upload form, a customer
through the assistant, or any code that stores a message."""

from __future__ import annotations

import re

import httpx
from pathvalidate import validate_filename

from agent_portal.chat import service
from agent_portal.chat.models import ChatAttachment
from agent_portal.database import utcnow
from assistant.escalation import Attachment
from isp_common.live_wire import Topic
from tests.support.live import wait_until
from tests.support.portal_data import TLS_CHECK

HOSTILE = {
    "..\\..\\evil.bat": "evil.bat",
    "CON": "CON_",
    "NUL.txt": "NUL_.txt",
    "a:b.txt": "ab.txt",
    "a.txt:x": "a.txtx",
    "notes.txt.": "notes.txt",
    "evil\u202efdp.exe": "evilfdp.exe",
}


def stored_names(world) -> list[str]:
    return [row.filename for row in world.rows(ChatAttachment, order=ChatAttachment.id)]


def test_every_stored_attachment_name_is_safe(world):
    customer = world.customer()
    with world.session() as db_session:
        conversation = service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            topic=Topic.internet,
            client_msg_id="first",
            text="Hello",
            now=utcnow(),
        ).conversation
        for number, name in enumerate(HOSTILE):
            service.post_message(
                db_session=db_session,
                conversation=conversation,
                sender="customer",
                client_msg_id=f"file-{number}",
                text="",
                attachment=service.NewAttachment(name, "text/plain", b"data"),
                now=utcnow(),
                attachment_limit=1000,
            )
            db_session.commit()

    names = stored_names(world)
    assert names == list(HOSTILE.values())
    for name in names:
        validate_filename(name, platform="universal")


def test_an_agents_upload_is_stored_under_a_safe_name(portal, world, assistant_for, staff_client):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    staff_client(anna)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "Hello?"))
    wait_until(lambda: assistant.help.chat.conversation(info.id).agent_name == "Anna Berger")

    with httpx.Client(
        verify=TLS_CHECK,
        base_url=portal.url,
        timeout=30,
        headers={"Cookie": f"portal_session={anna.token}"},
    ) as web:
        page = web.get(f"/portal/chats/{info.id}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        for name in ("..\\..\\evil.bat", "CON", "a:b.txt"):
            sent = web.post(
                f"/portal/chats/{info.id}/attachments",
                data={"csrf_token": token},
                files={"file": (name, b"@echo off", "application/octet-stream")},
            )
            assert sent.status_code == 303, sent.text

    assert stored_names(world) == ["evil.bat", "CON_", "ab.txt"]
    arrived = wait_until(
        lambda: [m for m in assistant.messages(info.id) if m.attachment is not None][2:],
        what="the files in the assistant",
    )
    assert arrived[0].attachment.filename == "ab.txt"


def test_a_customers_upload_is_stored_under_a_safe_name(world, assistant_for, staff_client):
    customer = world.customer()
    _device, key = world.device(customer)
    staff_client(world.staff("anna.berger", topics=["computer"]))
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("computer", "See the files."))
    for name in ("NUL.txt", "a.txt:x", "..\\..\\evil.bat"):
        assistant.call(assistant.help.send(info.id, "", Attachment(name, "text/plain", b"x")))

    assert stored_names(world) == ["NUL_.txt", "a.txtx", "evil.bat"]
