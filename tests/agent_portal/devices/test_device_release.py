"""A customer whose places are all taken signs in on a new computer: the refusal lists the
customer's linked computers and carries a release ticket, with which that computer
releases one of them and takes its place, once. Over real HTTP against the real portal,
with the assistant's real premium service, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from agent_portal.audit.models import AuditEntry
from agent_portal.devices.models import ReleaseTicket
from assistant.premium.client import PremiumClient
from assistant.premium.device_keys import DeviceKey
from assistant.premium.errors import (
    DeviceLimitReached,
    ReleaseDeviceUnknown,
    ReleaseTicketInvalid,
    ServerRefused,
    SignInFailed,
)
from isp_common.features import Tier
from isp_common.premium_wire import RELEASE_PATH, ReleaseRequest, device_request_headers
from tests.agent_portal.entitlements.test_linking import stored_devices
from tests.support.premium_portal import PASSWORD, PROVISIONING, provision


def names(db_session, account_number: str) -> list[str]:
    return [device.name for device in stored_devices(db_session, account_number)]


def entries(db_session, event: str) -> list[AuditEntry]:
    db_session.expire_all()
    statement = select(AuditEntry).where(AuditEntry.event == event).order_by(AuditEntry.id)
    return list(db_session.scalars(statement))


def refused_sign_in(computer, account_number: str = "K-300400", name: str = "Neuer Laptop"):
    with pytest.raises(DeviceLimitReached) as refused:
        computer.sign_in(account_number, password=PASSWORD, device_name=name)
    return refused.value


@pytest.fixture
def full_account(api, assistants):
    """K-300400 without a subscription (one place), taken by "Alter Laptop"; and another
    customer's computer beside it."""
    provision(api, "K-300400", tier="none")
    provision(api, "K-999000", tier="premium", name="Someone Else")
    old = assistants("old")
    old.sign_in("K-300400", password=PASSWORD, device_name="Alter Laptop")
    stranger = assistants("stranger")
    stranger.sign_in("K-999000", password=PASSWORD, device_name="Fremder PC")
    return old, stranger


def test_the_refusal_lists_the_customers_computers_and_carries_a_ticket(
    full_account, assistants, db_session
):
    old, _stranger = full_account
    new = assistants("new")
    before = datetime.now(UTC)

    refusal = refused_sign_in(new)

    offer = refusal.release
    assert offer is not None and offer.tier is Tier.NONE
    [listed] = offer.devices  # the customer's own computer only, never another customer's
    assert listed.device_id == old.device_key.device_id
    assert listed.name == "Alter Laptop" and listed.platform in ("linux", "windows", "macos")
    assert before - timedelta(minutes=2) <= listed.last_seen_at <= datetime.now(UTC)
    assert listed.linked_at <= listed.last_seen_at
    assert offer.ticket and len(offer.ticket) >= 40
    assert timedelta(minutes=9) < offer.expires_at - before <= timedelta(minutes=10, seconds=5)
    # No "subscription" for a customer without one.
    assert refusal.server_message == (
        "Without a subscription, 1 device can be linked and 'Alter Laptop' is already "
        "linked. Release one of them with this answer's release ticket, unlink one in the "
        "assistant on that computer, or ask the hotline."
    )
    [refused_entry] = entries(db_session, "device_link_refused")
    assert refused_entry.data["release_ticket"] is True
    # Only a keyed hash of the ticket is stored.
    db_session.expire_all()
    [row] = db_session.scalars(select(ReleaseTicket))
    assert offer.ticket not in row.ticket_hash and row.device_id == new.device_key.device_id


def test_releasing_unlinks_the_chosen_computer_and_links_this_one_once(
    full_account, assistants, db_session
):
    old, stranger = full_account
    new = assistants("new")
    ticket = refused_sign_in(new).release.ticket

    status = new.release_and_sign_in(old.device_key.device_id)

    assert status.linked and status.account_number == "K-300400"
    assert status.device_name == "Neuer Laptop"
    assert names(db_session, "K-300400") == ["Neuer Laptop"]
    assert names(db_session, "K-999000") == ["Fremder PC"]
    # The released computer loses its link (and with it premium) at its next refresh.
    assert not old.refresh().linked and old.status().notice == "device_not_linked"
    assert stranger.refresh().linked
    [released] = entries(db_session, "device_released")
    assert (released.actor_kind, released.actor_name) == ("customer", "Erika Mustermann")
    assert released.device_id == old.device_key.device_id
    assert released.data == {"device_name": "Alter Laptop", "for_device_name": "Neuer Laptop"}
    linked = entries(db_session, "device_linked")[-1]
    assert linked.device_id == new.device_key.device_id and linked.actor_kind == "customer"
    assert linked.data["method"] == "release_ticket"
    assert linked.data["released_device_name"] == "Alter Laptop"

    # The ticket worked once: sent again it is refused and changes nothing.
    with pytest.raises(ReleaseTicketInvalid) as reused:
        new.client.release(
            ticket, new.device_key.device_id, device_name="Noch einer", platform="linux"
        )
    assert reused.value.server_message == (
        "The release ticket has been used already. Nothing was changed; sign in again to get "
        "a new one."
    )
    assert names(db_session, "K-300400") == ["Neuer Laptop"]


def test_an_expired_ticket_is_refused_and_changes_nothing(full_account, assistants, db_session):
    old, _stranger = full_account
    new = assistants("new")
    refused_sign_in(new)
    db_session.execute(
        update(ReleaseTicket).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    db_session.commit()

    with pytest.raises(ReleaseTicketInvalid) as expired:
        new.release_and_sign_in(old.device_key.device_id)

    assert "has expired" in expired.value.server_message
    assert names(db_session, "K-300400") == ["Alter Laptop"] and old.refresh().linked
    assert not new.status().linked and new.pending_release is None  # sign in again
    assert entries(db_session, "device_released") == []


def test_a_ticket_works_only_for_the_computer_it_was_given_to(
    portal, full_account, assistants, db_session, tmp_path
):
    old, _stranger = full_account
    new = assistants("new")
    offer = refused_sign_in(new).release
    thief = PremiumClient(portal.url, DeviceKey.load_or_create(tmp_path / "thief"))

    with pytest.raises(ReleaseTicketInvalid) as other_key:
        thief.release(offer.ticket, old.device_key.device_id, device_name="Dieb", platform="linux")
    thief.close()

    assert "was given to another computer" in other_key.value.server_message
    assert names(db_session, "K-300400") == ["Alter Laptop"]
    # The computer it was given to can still use it.
    assert new.release_and_sign_in(old.device_key.device_id).linked


def test_a_ticket_cannot_release_another_customers_computer(full_account, assistants, db_session):
    old, stranger = full_account
    new = assistants("new")
    refused_sign_in(new)

    for device_id in (stranger.device_key.device_id, "nosuchdevice", new.device_key.device_id):
        with pytest.raises(ReleaseDeviceUnknown) as unknown:
            new.release_and_sign_in(device_id)
        assert unknown.value.status == 404
        assert f"No computer with the id '{device_id}' is linked" in unknown.value.server_message

    assert names(db_session, "K-999000") == ["Fremder PC"] and stranger.refresh().linked
    assert names(db_session, "K-300400") == ["Alter Laptop"]
    assert entries(db_session, "device_released") == []
    # Nothing was used up: the right choice still works.
    assert new.release_and_sign_in(old.device_key.device_id).linked


def signed_release(key: DeviceKey, body: bytes) -> dict[str, str]:
    headers = device_request_headers(
        sign=key.sign,
        device_id=key.device_id,
        method="POST",
        target=RELEASE_PATH.encode(),
        body=body,
        timestamp=int(datetime.now(UTC).timestamp()),
    )
    return {**headers, "Content-Type": "application/json"}


def test_bad_release_requests_are_refused_with_reasons_and_change_nothing(
    full_account, assistants, db_session, http: httpx.Client, tmp_path
):
    old, _stranger = full_account
    new = assistants("new")
    offer = refused_sign_in(new).release
    key = new.device_key
    good = ReleaseRequest(
        ticket=offer.ticket,
        release_device_id=old.device_key.device_id,
        device_name="Neuer Laptop",
        platform="linux",
        public_key=key.public_key_base64(),
    )

    def send(request: dict, signer: DeviceKey = key) -> httpx.Response:
        body = httpx.Request("POST", "/", json=request).content
        return http.post(RELEASE_PATH, content=body, headers=signed_release(signer, body))

    unknown = send({**good.model_dump(), "ticket": "not-a-ticket"})
    assert unknown.status_code == 401 and unknown.json()["code"] == "release_ticket_invalid"
    assert unknown.json()["detail"].startswith("The release ticket is not known.")
    blank_name = send({**good.model_dump(), "device_name": " \t"})
    assert blank_name.status_code == 422
    assert blank_name.json()["errors"][0]["field"].endswith("device_name")
    # Signed by another key than the one it asks to link.
    forged = send(good.model_dump(), signer=DeviceKey.load_or_create(tmp_path / "other"))
    assert forged.status_code == 401 and forged.json()["code"] == "device_signature_invalid"
    unsigned = http.post(RELEASE_PATH, json=good.model_dump())
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "device_auth_missing"

    assert names(db_session, "K-300400") == ["Alter Laptop"]
    assert entries(db_session, "device_released") == []
    answer = send(good.model_dump())  # all of that used nothing up
    assert answer.status_code == 200, answer.text
    assert answer.json()["device_id"] == key.device_id


def test_a_subscriber_with_three_computers_releases_one(api, assistants, db_session):
    provision(api, "K-700800", tier="premium")
    computers = [assistants(f"pc{number}") for number in range(3)]
    for number, computer in enumerate(computers):
        computer.sign_in("K-700800", password=PASSWORD, device_name=f"PC {number}")
    new = assistants("new")

    refusal = refused_sign_in(new, "K-700800", "Tablet")

    assert refusal.release.tier is Tier.PREMIUM
    assert [device.name for device in refusal.release.devices] == ["PC 0", "PC 1", "PC 2"]
    assert refusal.server_message.startswith(
        "Your subscription allows 3 devices and 'PC 0', 'PC 1' and 'PC 2' are already linked."
    )
    status = new.release_and_sign_in(computers[1].device_key.device_id)
    assert status.tier is Tier.PREMIUM and new.gate.allows("cleanup")
    assert names(db_session, "K-700800") == ["PC 0", "PC 2", "Tablet"]
    assert not computers[1].refresh().linked and not computers[1].gate.allows("cleanup")


def test_a_wrong_password_gets_no_ticket(full_account, assistants, db_session):
    new = assistants("new")
    with pytest.raises(SignInFailed):
        new.sign_in("K-300400", password="falsches-passwort", device_name="Neu")
    assert new.pending_release is None
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(ReleaseTicket)) == 0


def test_a_ticket_got_with_an_activation_code_uses_the_code_up(api, full_account, assistants):
    old, _stranger = full_account
    code = api.post(f"{PROVISIONING}/K-300400/activation-codes").json()["code"]
    new = assistants("new")
    with pytest.raises(DeviceLimitReached) as refused:
        new.sign_in("K-300400", activation_code=code, device_name="Neu")
    assert refused.value.release.ticket

    assert new.release_and_sign_in(old.device_key.device_id).linked

    # The letter's code linked this computer: it links no other.
    new.sign_out()
    with pytest.raises(SignInFailed):
        assistants("third").sign_in("K-300400", activation_code=code, device_name="Dritter")


def test_more_computers_than_the_tier_allows_get_no_ticket(api, assistants, db_session):
    provision(api, "K-300400", tier="premium")
    computers = [assistants(f"pc{number}") for number in range(3)]
    for number, computer in enumerate(computers):
        computer.sign_in("K-300400", password=PASSWORD, device_name=f"PC {number}")
    provision(api, "K-300400", tier="none")  # the subscription ended: one place, three used

    refusal = refused_sign_in(assistants("new"))

    assert refusal.release.ticket is None and len(refusal.release.devices) == 3
    assert "release ticket" not in refusal.server_message
    with pytest.raises(ServerRefused):  # nothing to release with
        assistants("new").release_and_sign_in(computers[0].device_key.device_id)
