"""What the assistant's client makes of answers that are not the server's own: a proxy's
error page, a server that is down, an answer it cannot read. (A transport passed to the
client stands in for the proxy; everything else here is the real client.)"""

from __future__ import annotations

import httpx
import pytest

from assistant.premium.client import PremiumClient
from assistant.premium.device_keys import DeviceKey
from assistant.premium.errors import ServerAnswerInvalid, ServerRefused, ServerUnreachable
from tests.support.premium_portal import unreachable_url


def client_answering(tmp_path, status: int, body: str, content_type: str = "text/html"):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"Content-Type": content_type})

    key = DeviceKey.load_or_create(tmp_path / "computer")
    return PremiumClient("https://portal.example", key, httpx.MockTransport(answer))


def test_a_gateway_error_counts_as_unreachable(tmp_path):
    client = client_answering(tmp_path, 502, "<html><h1>502 Bad Gateway</h1></html>")
    with pytest.raises(ServerUnreachable):
        client.refresh()


def test_no_server_at_all_counts_as_unreachable(tmp_path):
    key = DeviceKey.load_or_create(tmp_path / "computer")
    with PremiumClient(unreachable_url(), key) as client, pytest.raises(ServerUnreachable):
        client.fetch_keys()


def test_a_refusal_without_our_error_body_keeps_what_it_said(tmp_path):
    client = client_answering(tmp_path, 404, "<html>Not here</html>")
    with pytest.raises(ServerRefused) as refused:
        client.redeem("1234 5678")
    assert refused.value.status == 404 and refused.value.server_message == "<html>Not here</html>"


def test_an_answer_that_does_not_parse_is_said_to_be_invalid(tmp_path):
    client = client_answering(tmp_path, 200, '{"token": 42}', "application/json")
    with pytest.raises(ServerAnswerInvalid):
        client.redeem("1234 5678")
