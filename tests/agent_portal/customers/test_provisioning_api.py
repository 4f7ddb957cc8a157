"""The provisioning API over real HTTP, as the ISP's back end uses it, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select

from agent_portal.customers import service
from agent_portal.customers.models import Customer, Device, Platform

URL = "/api/v1/provisioning/customers"

ERIKA = {
    "name": "Erika Mustermann",
    "email": "Erika@Example.DE",
    "language": "de",
    "subscription": {"tier": "premium", "valid_until": "2099-12-31"},
}


def stored_row(db_session, account_number: str) -> Customer:
    db_session.expire_all()
    return db_session.scalars(
        select(Customer).where(Customer.account_number == account_number)
    ).one()


def test_put_creates_a_customer_and_answers_it(api):
    response = api.put(f"{URL}/k-100234", json=ERIKA)

    assert response.status_code == 201
    body = response.json()
    assert body["account_number"] == "K-100234"
    assert body["name"] == "Erika Mustermann"
    assert body["email"] == "erika@example.de"
    assert body["language"] == "de"
    assert body["subscription"] == {
        "tier": "premium",
        "valid_until": "2099-12-31T22:59:59Z",  # the day's end in Europe/Berlin
        "active": True,
        "device_limit": 3,
    }
    assert body["devices"] == []
    assert api.get(f"{URL}/K-100234").json() == body


def test_put_updates_what_changed(api, db_session):
    api.put(f"{URL}/K-100234", json=ERIKA)
    created_at = stored_row(db_session, "K-100234").updated_at

    changed = {
        **ERIKA,
        "name": "Erika Musterfrau",
        "language": "en",
        "subscription": {"tier": "premium_plus", "valid_until": "2027-01-15T18:30:00+01:00"},
    }
    response = api.put(f"{URL}/K-100234", json=changed)

    assert response.status_code == 200
    assert response.json()["subscription"]["valid_until"] == "2027-01-15T17:30:00Z"
    row = stored_row(db_session, "K-100234")
    assert (row.name, row.language, row.subscription.tier) == (
        "Erika Musterfrau",
        "en",
        "premium_plus",
    )
    assert row.updated_at > created_at
    assert db_session.scalar(select(func.count()).select_from(Customer)) == 1


def test_the_same_body_twice_changes_nothing(api, db_session):
    first = api.put(f"{URL}/K-100234", json=ERIKA)
    before = stored_row(db_session, "K-100234").updated_at

    again = api.put(f"{URL}/K-100234", json=ERIKA)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert stored_row(db_session, "K-100234").updated_at == before


def test_reading_an_unknown_customer_is_a_clear_404(api):
    response = api.get(f"{URL}/K-999999")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No customer with account number K-999999.",
        "code": "customer_not_found",
    }
    assert api.delete(f"{URL}/K-999999").status_code == 404


def test_devices_and_an_expired_subscription_are_shown(api, db_session):
    expired = {**ERIKA, "subscription": {"tier": "premium", "valid_until": "2020-01-31"}}
    api.put(f"{URL}/K-100234", json=expired)
    customer = service.get(db_session=db_session, account_number="K-100234")
    service.add_device(
        db_session=db_session,
        customer=customer,
        name="Wohnzimmer-PC",
        platform=Platform.WINDOWS,
        public_key="MCowBQYDK2VwAyEA",
    )
    db_session.commit()

    body = api.get(f"{URL}/K-100234").json()

    assert body["subscription"]["active"] is False
    assert body["subscription"]["device_limit"] == 1  # run out: the limit without subscription
    [device] = body["devices"]
    assert (device["name"], device["platform"], device["public_key"]) == (
        "Wohnzimmer-PC",
        "windows",
        "MCowBQYDK2VwAyEA",
    )
    assert device["last_seen_at"] is None and device["linked_at"].endswith("Z")


def test_delete_erases_personal_data_and_keeps_the_account_number(api, db_session):
    api.put(f"{URL}/K-100234", json=ERIKA)
    customer = service.get(db_session=db_session, account_number="K-100234")
    service.add_device(
        db_session=db_session, customer=customer, name="Erikas Laptop", platform=Platform.MACOS
    )
    db_session.commit()

    response = api.delete(f"{URL}/K-100234")

    assert response.status_code == 204 and response.content == b""
    assert api.get(f"{URL}/K-100234").status_code == 404
    assert api.delete(f"{URL}/K-100234").status_code == 404
    row = stored_row(db_session, "K-100234")
    assert (row.name, row.email, row.subscription) == (None, None, None)
    assert row.erased_at is not None
    assert db_session.scalar(select(func.count()).select_from(Device)) == 0
    assert service.search(db_session=db_session, query="Erika") == []

    # The ISP may provision the account number again: a fresh record, nothing of the old.
    again = api.put(f"{URL}/K-100234", json={"name": "Neue Kundin", "email": "neu@example.de"})
    assert again.status_code == 201
    assert again.json()["devices"] == [] and again.json()["subscription"]["tier"] == "none"


BAD_BODIES = [
    ({**ERIKA, "subscription": {"tier": "gold"}}, "subscription.tier", "'premium_plus'"),
    ({**ERIKA, "email": "erika@example"}, "email", "not a valid e-mail address"),
    ({**ERIKA, "email": "erika.example.de"}, "email", "must have an @-sign"),
    ({**ERIKA, "subscription": {"valid_until": "2026-02-30"}}, "valid_until", "not a date"),
    (
        {**ERIKA, "subscription": {"valid_until": "2026-02-01T10:00:00"}},
        "valid_until",
        "no time zone",
    ),
    ({**ERIKA, "phone": "0301234567"}, "phone", "Extra inputs are not permitted"),
    ({**ERIKA, "subscription": {"tier": "premium", "seats": 3}}, "subscription.seats", "Extra"),
    ({"email": "erika@example.de"}, "name", "Field required"),
    ({**ERIKA, "name": "   "}, "name", "at least 1 character"),
    ({**ERIKA, "language": "fr"}, "language", "'de' or 'en'"),
    ({**ERIKA, "subscription": "premium"}, "subscription", "valid dictionary"),
]


def test_bad_bodies_are_refused_and_leave_the_customer_as_it_was(api, db_session):
    stored = api.put(f"{URL}/K-100234", json=ERIKA).json()
    updated_at = stored_row(db_session, "K-100234").updated_at

    for body, field, message in BAD_BODIES:
        response = api.put(f"{URL}/K-100234", json=body)
        assert response.status_code == 422, body
        detail = response.json()["detail"]
        assert f"{field}:" in detail and message in detail, detail

    not_json = api.put(
        f"{URL}/K-100234", content=b"name=Erika", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422 and "JSON" in not_json.json()["detail"]

    assert api.get(f"{URL}/K-100234").json() == stored
    assert stored_row(db_session, "K-100234").updated_at == updated_at


def test_a_malformed_account_number_is_refused_with_the_rule(api, db_session):
    for number in ["K1", "K_100234", "-K100234", "K-1002345678901234567890"]:
        response = api.put(f"{URL}/{number}", json=ERIKA)
        assert response.status_code == 422, number
        detail = response.json()["detail"]
        assert "account_number" in detail and "4 to 20 characters" in detail
    assert api.get(f"{URL}/K_1").status_code == 422
    assert db_session.scalar(select(func.count()).select_from(Customer)) == 0


def test_without_a_valid_api_key_nothing_is_read_or_stored(http, api_key, db_session):
    missing = http.put(f"{URL}/K-100234", json=ERIKA)
    assert missing.status_code == 401
    assert "API key is missing" in missing.json()["detail"]

    wrong = http.put(f"{URL}/K-100234", json=ERIKA, headers={"Authorization": "Bearer not-the-key"})
    assert wrong.status_code == 401
    assert "not valid" in wrong.json()["detail"]
    assert db_session.scalar(select(func.count()).select_from(Customer)) == 0

    good = {"X-API-Key": api_key}
    http.put(f"{URL}/K-100234", json=ERIKA, headers=good)
    assert http.get(f"{URL}/K-100234").status_code == 401
    assert http.delete(f"{URL}/K-100234", headers={"X-API-Key": "wrong"}).status_code == 401
    assert http.get(f"{URL}/K-100234", headers=good).json()["name"] == "Erika Mustermann"


def test_the_monthly_spending_limit_of_paid_sessions_is_set_and_cleared(api, db_session):
    limited = {**ERIKA, "monthly_spending_limit": 20000}
    assert api.put(f"{URL}/K-100234", json=limited).json()["monthly_spending_limit"] == 20000
    assert stored_row(db_session, "K-100234").monthly_spending_limit == 20000
    assert api.put(f"{URL}/K-100234", json=limited).status_code == 200  # unchanged
    # Left out (PUT replaces): the portal's default applies again.
    assert api.put(f"{URL}/K-100234", json=ERIKA).json()["monthly_spending_limit"] is None
    assert stored_row(db_session, "K-100234").monthly_spending_limit is None
    refused = api.put(f"{URL}/K-100234", json={**ERIKA, "monthly_spending_limit": -1})
    assert refused.status_code == 422
    assert stored_row(db_session, "K-100234").monthly_spending_limit is None
