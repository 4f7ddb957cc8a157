"""The ISP's back end reads the feed and acknowledges what it booked over HTTP, with its
API key, against the running portal; bad input is refused with a clear error and stores
nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support import paid_money
from tests.support.portal_data import TLS_CHECK, database_session, new_api_key

CHARGES = "/api/v1/billing/charges"
ACK = "/api/v1/billing/charges/ack"


@pytest.fixture
def back_end(portal, database_url) -> Iterator[httpx.Client]:
    """The ISP's billing system: an API key, and a customer with two paid sessions (one
    with a tip) and a refund."""
    for db_session in database_session(database_url):
        key = new_api_key(db_session, "billing").key
        customer = paid_money.customer(db_session, "K-100234", language="en")
        expert = paid_money.expert(db_session)
        first = paid_money.ended_session(
            db_session, customer_id=customer.id, expert=expert, amount=1250, tip=300
        )
        paid_money.ended_session(db_session, customer_id=customer.id, expert=expert, amount=600)
        paid_money.refund(db_session, first.capture_transfer_id, 250, staff_id=expert.staff_id)
        db_session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, headers=headers, timeout=30) as client:
        yield client


def _all(client: httpx.Client, **params) -> list[dict]:
    charges, after = [], None
    while True:
        answer = client.get(CHARGES, params={**params, **({"after": after} if after else {})})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        charges += page["charges"]
        after = page["next_cursor"]
        if not page["has_more"]:
            return charges


def test_the_back_end_reads_every_line_once_and_books_them(back_end):
    charges = _all(back_end, limit=1)
    assert [(c["kind"], c["amount"]) for c in charges] == [
        ("charge", 1250),
        ("tip", 300),
        ("charge", 600),
        ("refund", -250),
    ]
    first = charges[0]
    assert first["account_number"] == "K-100234"
    assert first["currency"] == "CHF"
    assert first["description"] == "Expert help: Windows, 10 minutes"
    assert first["booked"] is False
    assert first["session_id"] == charges[1]["session_id"] == charges[3]["session_id"]

    booked = back_end.post(ACK, json={"ids": [first["id"], charges[1]["id"]]})
    assert booked.status_code == 200
    assert booked.json() == {"booked": [first["id"], charges[1]["id"]], "already_booked": []}
    again = back_end.post(ACK, json={"ids": [first["id"]]})
    assert again.json() == {"booked": [], "already_booked": [first["id"]]}

    assert [c["id"] for c in _all(back_end, unbooked="true")] == [
        charges[2]["id"],
        charges[3]["id"],
    ]
    assert [c["booked"] for c in _all(back_end)] == [True, True, False, False]


def test_an_unknown_id_refuses_the_whole_acknowledgement(back_end):
    charges = _all(back_end)
    answer = back_end.post(ACK, json={"ids": [charges[0]["id"], 424242]})
    assert answer.status_code == 404
    body = answer.json()
    assert body["code"] == "billing_charges_unknown"
    assert body["unknown_ids"] == [424242]
    assert "424242" in body["detail"]
    assert [c["booked"] for c in _all(back_end)] == [False] * 4, "nothing half-stored"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"after": "not-a-cursor"}, 400, "billing_cursor_invalid"),
        ({"limit": "0"}, 422, "request_invalid"),
        ({"limit": "501"}, 422, "request_invalid"),
        ({"unbooked": "perhaps"}, 422, "request_invalid"),
    ],
)
def test_bad_feed_requests_are_refused_clearly(back_end, params, status, code):
    answer = back_end.get(CHARGES, params=params)
    assert answer.status_code == status
    assert answer.json()["code"] == code


@pytest.mark.parametrize(
    "body",
    [{"ids": []}, {"ids": ["one"]}, {"ids": [0]}, {}, {"ids": [1], "more": True}],
    ids=["empty", "text", "zero", "missing", "unknown field"],
)
def test_a_malformed_acknowledgement_is_refused(back_end, body):
    answer = back_end.post(ACK, json=body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "request_invalid"


def test_without_the_api_key_nothing_is_shown_or_booked(portal, back_end):
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30) as stranger:
        assert stranger.get(CHARGES).json()["code"] == "api_key_missing"
        refused = stranger.post(ACK, json={"ids": [1]}, headers={"X-API-Key": "wrong"})
        assert refused.status_code == 401 and refused.json()["code"] == "api_key_invalid"
    assert [c["booked"] for c in _all(back_end)] == [False] * 4


def test_the_german_refusal_for_a_client_that_asks_for_it(back_end):
    answer = back_end.get(CHARGES, params={"after": "x"}, headers={"Accept-Language": "de"})
    assert answer.json()["detail"].startswith("Dieser Cursor stammt nicht aus diesem Feed")
