"""The assistant's API accepts only requests signed by a linked device: each refusal is a
401 with a JSON body that says what was wrong."""

from __future__ import annotations

import time

import httpx
import pytest

from assistant.premium.device_keys import DeviceKey
from isp_common.premium_wire import REFRESH_PATH, device_request_headers
from tests.support.premium_portal import PASSWORD, provision


def signed_headers(key: DeviceKey, body: bytes, *, path: str = REFRESH_PATH, at: float = 0):
    return device_request_headers(
        sign=key.sign,
        device_id=key.device_id,
        method="POST",
        target=path.encode(),
        body=body,
        timestamp=int(at or time.time()),
    )


@pytest.fixture
def linked(api, assistants):
    provision(api, "K-100234")
    laptop = assistants()
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    return laptop.device_key


def refused(response: httpx.Response, code: str) -> str:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == code
    return body["detail"]


def test_a_signed_request_of_a_linked_device_is_answered(http, linked):
    response = http.post(REFRESH_PATH, headers=signed_headers(linked, b""))
    assert response.status_code == 200
    assert response.json()["account_number"] == "K-100234"


def test_an_unsigned_request_is_told_which_headers_are_missing(http, linked):
    detail = refused(http.post(REFRESH_PATH), "device_auth_missing")
    assert detail == (
        "The request is not signed by a device: the header X-Device-Id, X-Device-Timestamp, "
        "X-Device-Signature is missing or empty."
    )


def test_an_old_request_is_refused(http, linked):
    old = signed_headers(linked, b"", at=time.time() - 6 * 60)
    detail = refused(http.post(REFRESH_PATH, headers=old), "device_clock_wrong")
    assert detail.startswith("The request's time stamp is more than 5 minutes away")


def test_a_changed_body_or_path_breaks_the_signature(http, linked):
    headers = {
        **signed_headers(linked, b'{"code": "12345678"}'),
        "Content-Type": "application/json",
    }
    changed = http.post(
        "/api/v1/unlock-codes/redeem", headers=headers, content=b'{"code": "87654321"}'
    )
    assert "does not match" in refused(changed, "device_signature_invalid")


def test_an_unknown_device_is_refused_however_well_it_signs(http, linked, tmp_path):
    stranger = DeviceKey.load_or_create(tmp_path / "stranger")
    detail = refused(
        http.post(REFRESH_PATH, headers=signed_headers(stranger, b"")), "device_not_linked"
    )
    assert detail == (
        "This device is not linked to a customer account (it may have been unlinked). "
        "Sign in again in the assistant to link it."
    )


def test_linking_needs_the_signature_of_the_key_it_links(http, api, tmp_path):
    provision(api, "K-100234")
    mine = DeviceKey.load_or_create(tmp_path / "mine")
    other = DeviceKey.load_or_create(tmp_path / "other")
    body = httpx.Request(
        "POST",
        "http://x/",
        json={
            "account_number": "K-100234",
            "password": PASSWORD,
            "device_name": "Laptop",
            "platform": "linux",
            "public_key": mine.public_key_base64(),
        },
    ).content
    headers = {
        **signed_headers(other, body, path="/api/v1/devices/link"),
        "Content-Type": "application/json",
    }
    response = http.post("/api/v1/devices/link", headers=headers, content=body)
    detail = refused(response, "device_signature_invalid")
    assert "X-Device-Id is not the id of the public key sent" in detail
