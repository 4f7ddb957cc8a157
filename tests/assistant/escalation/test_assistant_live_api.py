"""The assistant's local API of live help, as its page uses it, against the real portal: an
unlinked computer is told to sign in; bad input gets the customer's sentence and changes
nothing; files go up to the server's limit, come back byte for byte, and a report is sent
as a PDF."""

from __future__ import annotations

import base64

import pytest

from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from agent_portal.entitlements.service import assistant_build_config
from tests.assistant.conftest import Launcher
from tests.support.live import wait_until
from tests.support.live_customer import give_password, sign_in


def live_view(client) -> dict:
    return client.get("/api/live").json()


def wait_for_live(client, condition, what: str) -> dict:
    return wait_until(lambda: (view := live_view(client)) and condition(view) and view, what=what)


def test_an_unlinked_computer_is_asked_to_sign_in_first(start_assistant):
    assistant = start_assistant("--headless", "--lang", "en")
    with assistant.client() as client:
        view = live_view(client)
        assert view["state"] == "unlinked"
        assert "sign in under “Premium” first" in view["state_text"]
        response = client.post("/api/live/conversations", json={"topic": "wifi", "text": "Hi"})
        assert response.status_code == 409
        assert response.json()["code"] == "not_linked"
        assert "linked to your customer account" in response.json()["error"]


@pytest.fixture
def start_assistant(internet, tmp_path):
    launcher = Launcher(internet, tmp_path / "computers")
    yield launcher
    launcher.stop_all()


@pytest.mark.portal_settings(chat_attachment_max_bytes=4000, chat_message_max_chars=60)
def test_bad_input_is_refused_in_words_and_nothing_is_stored(portal, world, customer_assistant):
    customer = world.customer()
    world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_for_live(client, lambda v: v["state"] == "connected", "connected")
        empty = client.post("/api/live/conversations", json={"topic": "wifi", "text": "  "})
        assert empty.status_code == 422
        assert empty.json()["error"].startswith("The message is empty.")
        unknown_topic = client.post("/api/live/conversations", json={"topic": "tv", "text": "x"})
        assert unknown_topic.status_code == 422 and "topic" in unknown_topic.json()["error"]
        too_long = client.post("/api/live/conversations", json={"topic": "wifi", "text": "x" * 61})
        assert too_long.status_code == 422
        assert too_long.json() == {
            "code": "message_too_long",
            "error": "The message is too long: 61 characters. Messages of up to 60 "
            "characters can be sent.",
        }
        assert world.count(Conversation) == 0
        assert live_view(client)["message_max_chars"] == 60  # the server's limit

        started = client.post(
            "/api/live/conversations", json={"topic": "wifi", "text": "My Wi-Fi drops."}
        )
        assert started.status_code == 201
        conversation_id = started.json()["id"]
        path = f"/api/live/conversations/{conversation_id}/messages"

        too_large = {"filename": "screen.png", "data_base64": b64(b"x" * 5000)}
        refused = client.post(path, json={"text": "", "attachment": too_large})
        assert refused.status_code == 413
        assert refused.json()["error"] == (
            "The file is too large (5 kB). Files up to 4 kB can be sent."
        )
        garbled = {"filename": "screen.png", "data_base64": "not base64!"}
        assert client.post(path, json={"attachment": garbled}).status_code == 422
        assert client.post(path, json={"text": "   "}).status_code == 422
        too_long = client.post(path, json={"text": "y" * 61})
        assert (too_long.status_code, too_long.json()["code"]) == (422, "message_too_long")
        elsewhere = client.post("/api/live/conversations/999999/messages", json={"text": "Hi"})
        assert elsewhere.status_code == 404
        assert elsewhere.json()["error"] == "This conversation no longer exists."
        assert client.post("/api/live/consent/nothing", json={"allowed": True}).status_code == 409
        assert client.delete("/api/live/sending/nothing").status_code == 404
        assert world.count(ChatAttachment) == 0
        assert world.count(ChatMessage, ChatMessage.sender == "customer") == 1

        # Within the limit, a file goes, and comes back as it was.
        screen = bytes(range(256)) * 12
        ok = {"filename": "screen.png", "content_type": "image/png", "data_base64": b64(screen)}
        assert client.post(path, json={"text": "Look:", "attachment": ok}).status_code == 202
        view = wait_for_live(
            client,
            lambda v: any(m["attachment"] for m in v["conversations"][0]["messages"]),
            "the file in the chat",
        )
        (shown,) = [m for m in view["conversations"][0]["messages"] if m["attachment"]]
        assert shown["text"] == "Look:" and shown["attachment"]["filename"] == "screen.png"
        file = client.get(
            f"/api/live/conversations/{conversation_id}/attachments/{shown['attachment']['id']}"
        )
        assert file.status_code == 200 and file.content == screen
        assert file.headers["content-type"] == "image/png"

        # The conversation ends: nothing more can be written into it.
        assert client.post(f"/api/live/conversations/{conversation_id}/close").status_code == 200
        wait_for_live(client, lambda v: not v["conversations"][0]["open"], "the chat closed")
        closed = client.post(path, json={"text": "One more thing"})
        assert closed.status_code == 409
        assert closed.json()["error"].startswith("This conversation has been closed.")


def test_the_customer_sends_the_report_as_a_pdf(portal, world, customer_assistant):
    customer = world.customer()
    world.staff("anna.berger", topics=["computer"], name="Anna Berger")
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_for_live(client, lambda v: v["state"] == "connected", "connected")
        wait_until(lambda: client.get("/api/state").json()["run"]["finished"], what="checks")
        started = client.post(
            "/api/live/conversations", json={"topic": "computer", "text": "It is slow."}
        )
        conversation_id = started.json()["id"]
        sent = client.post(f"/api/live/conversations/{conversation_id}/report")
        assert sent.status_code == 202
        wait_until(lambda: world.count(ChatAttachment) == 1, what="the report stored")
    (attachment,) = world.rows(ChatAttachment)
    assert attachment.content_type == "application/pdf"
    assert attachment.filename.endswith(".pdf")
    with world.session() as db_session:
        data = db_session.get(ChatAttachment, attachment.id).data
    assert data.startswith(b"%PDF")


def test_signing_in_later_starts_live_help_without_a_restart(
    portal, portal_app, world, start_assistant
):
    customer = world.customer()
    give_password(world, customer)
    build = assistant_build_config(keys=portal_app.state.server_keys, servers=[portal.url])
    assistant = start_assistant("--headless", "--lang", "en", "--server", portal.url, build=build)
    with assistant.client() as client:
        assert live_view(client)["state"] == "unlinked"
    sign_in(assistant, customer.account_number, "Küchen-PC")
    with assistant.client() as client:
        wait_for_live(client, lambda v: v["state"] == "connected", "live help after sign-in")
        signed_out = client.post("/api/premium/sign-out")
        assert signed_out.status_code == 200
        wait_for_live(client, lambda v: v["state"] == "unlinked", "live help ends on sign-out")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
