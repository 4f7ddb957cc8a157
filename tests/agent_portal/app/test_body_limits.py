"""Request bodies are limited per route class before anything reads them, and before
authentication: an anonymous client that sends 60 MB gets a 413 naming the limit after the
server has taken in little more than the limit, whether the body declares its length or
comes in chunks. Real uvicorn on loopback, a raw streaming client that counts what the
server let it send."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from agent_portal.config import PortalSettings
from tests.agent_portal.auth.test_access_rules import PATH_VALUES

MB = 1024 * 1024
CHUNK = 64 * 1024
HOSTILE_BODY = 60 * MB
# The server stops reading at the limit; the socket buffers between the two ends (a few MB
# on loopback) take in some more before a sender blocks or sees the connection closed.
SENT_AT_MOST = 16 * MB


@pytest.fixture
def settings(settings: PortalSettings) -> PortalSettings:
    settings.chat_attachment_max_bytes = 3 * MB
    return settings


@dataclass
class Outcome:
    status: int
    body: dict
    sent: int


def json_of_size(size: int) -> bytes:
    """A valid JSON redeem request of `size` bytes (padded with spaces)."""
    start, end = b'{"code": "12345678"', b"}"
    return start + b" " * (size - len(start) - len(end)) + end


def stream_body(url: str, path: str, body: bytes, *, chunked: bool) -> Outcome:
    """POSTs `body` in chunks for as long as the server takes them; stops when the server
    answers or closes the connection, and reads its answer."""
    address = urlsplit(url)
    head = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", "Content-Type: application/json"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
    sent = 0
    with socket.create_connection((address.hostname, address.port), timeout=20) as connection:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        try:
            while sent < len(body) and not _answered(connection):
                chunk = body[sent : sent + CHUNK]
                framed = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
                connection.sendall(framed)
                sent += len(chunk)
            if chunked:
                connection.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: its answer is waiting
        return Outcome(*_read_answer(connection), sent=sent)


def _answered(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return bool(connection.recv(1, socket.MSG_PEEK))
    except BlockingIOError:
        return False
    finally:
        connection.setblocking(True)


def _read_answer(connection: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _sep, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return status, json.loads(body)


@pytest.mark.parametrize("chunked", [False, True], ids=["declared length", "chunked"])
def test_a_huge_anonymous_body_is_refused_before_it_is_read(portal, settings, chunked):
    outcome = stream_body(
        portal.url, "/api/v1/unlock-codes/redeem", json_of_size(HOSTILE_BODY), chunked=chunked
    )
    assert outcome.status == 413
    assert outcome.body["code"] == "body_too_large"
    assert outcome.body["max_bytes"] == settings.api_max_body_bytes
    assert str(settings.api_max_body_bytes) in outcome.body["detail"]
    assert outcome.sent < SENT_AT_MOST, f"the server read {outcome.sent} bytes"


def test_each_route_class_has_its_own_limit(portal, settings, client_for, database):
    admin = client_for("admin")
    token = database.csrf_token_of(admin)
    form = admin.post("/portal/admin/api-keys", data={"csrf_token": token, "name": "x" * MB})
    assert form.status_code == 413
    assert form.json()["max_bytes"] == settings.form_max_body_bytes

    upload = f"/portal/chats/{PATH_VALUES['conversation_id']}/attachments"
    at_limit = ("film.mp4", b"0" * settings.chat_attachment_max_bytes, "video/mp4")
    answered = admin.post(upload, data={"csrf_token": token}, files={"file": at_limit})
    assert answered.status_code == 404  # read whole: the conversation does not exist
    over = ("film.mp4", b"0" * (settings.chat_attachment_max_bytes + 2 * MB), "video/mp4")
    refused = admin.post(upload, data={"csrf_token": token}, files={"file": over})
    assert refused.status_code == 413
    limit = settings.chat_attachment_max_bytes + settings.form_max_body_bytes
    assert refused.json()["max_bytes"] == limit


def test_bodies_within_the_limit_pass(portal, settings):
    outcome = stream_body(
        portal.url,
        "/api/v1/unlock-codes/redeem",
        json_of_size(settings.api_max_body_bytes),
        chunked=True,
    )
    # Read whole, then refused for what it is: no device signature.
    assert (outcome.status, outcome.body["code"]) == (401, "device_auth_missing")


def test_any_path_has_a_limit(portal, settings, http):
    largest = settings.chat_attachment_max_bytes + settings.form_max_body_bytes
    for path in ("/api/v1/%0A", "/%0Aportal", "/portal/chats/%0A/attachments", "/no-such-page"):
        response = http.post(path, content=b"x" * (largest + 1))
        assert response.status_code == 413, path
