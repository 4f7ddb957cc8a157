"""Signing in in the assistant links the computer: over real HTTP against the real portal,
with the assistant's real premium service, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agent_portal.audit.models import AuditEntry
from agent_portal.customers.models import Device
from assistant.premium.errors import (
    DeviceLimitReached,
    FeatureLocked,
    SignInFailed,
    SignInLocked,
)
from isp_common.entitlements import EntitlementSource
from isp_common.features import Tier
from tests.support.premium_portal import PASSWORD, PROVISIONING, provision


def stored_devices(db_session, account_number: str) -> list[Device]:
    db_session.expire_all()
    statement = (
        select(Device)
        .join(Device.customer)
        .where(Device.customer.has(account_number=account_number))
        .order_by(Device.linked_at)
    )
    return list(db_session.scalars(statement))


def test_a_subscriber_signs_in_and_gets_premium(api, assistants, db_session):
    provision(api, "K-100234", tier="premium")
    laptop = assistants("laptop")
    assert not laptop.gate.allows("cleanup")

    status = laptop.sign_in("k-100234", password=PASSWORD, device_name="Annas Laptop")

    assert status.linked and status.account_number == "K-100234"
    assert status.customer_name == "Erika Mustermann"
    assert status.tier is Tier.PREMIUM
    assert status.sources == (EntitlementSource.SUBSCRIPTION,)
    assert laptop.gate.allows("cleanup") and laptop.gate.allows("security_warnings")
    assert not laptop.gate.allows("technician_visit")  # premium plus only
    [device] = stored_devices(db_session, "K-100234")
    assert device.id == laptop.device_key.device_id  # server and assistant agree
    assert (
        device.name == "Annas Laptop" and device.public_key == laptop.device_key.public_key_base64()
    )

    # The next start works from what was stored, and refreshes.
    again = assistants("laptop")
    assert again.on_start().tier is Tier.PREMIUM and again.status().online is True


def test_a_customer_without_subscription_gets_free_only(api, assistants):
    provision(api, "K-200300", tier="none")
    laptop = assistants()

    status = laptop.sign_in("K-200300", password=PASSWORD, device_name="Büro-PC")

    assert status.linked and status.tier is Tier.NONE and status.sources == ()
    assert laptop.gate.allows("internet_check")
    with pytest.raises(FeatureLocked) as locked:
        laptop.gate.require("cleanup")
    assert locked.value.reason == "no_entitlement"


def test_a_wrong_password_links_nothing_and_says_why(api, assistants, db_session):
    provision(api, "K-100234")
    laptop = assistants()

    with pytest.raises(SignInFailed) as refused:
        laptop.sign_in("K-100234", password="falsches-passwort", device_name="Laptop")
    with pytest.raises(SignInFailed):  # an unknown customer gets the same answer
        laptop.sign_in("K-999999", password=PASSWORD, device_name="Laptop")

    assert refused.value.server_message == (
        "The account number, password or activation code is not correct."
    )
    assert not laptop.status().linked
    assert stored_devices(db_session, "K-100234") == []
    failures = db_session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.event == "sign_in_failed")
    )
    assert failures == 2


def test_five_failed_sign_ins_lock_the_account_number(api, assistants):
    provision(api, "K-100234")
    laptop = assistants()
    for _ in range(4):
        with pytest.raises(SignInFailed):
            laptop.sign_in("K-100234", password="falsch-falsch", device_name="Laptop")

    with pytest.raises(SignInLocked) as locked:
        laptop.sign_in("K-100234", password="falsch-falsch", device_name="Laptop")
    with pytest.raises(SignInLocked):  # now even the right password waits
        laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")

    assert locked.value.status == 429
    until = locked.value.locked_until.strftime("%H:%M UTC")
    assert f"Sign-in is locked until {until}" in locked.value.server_message


def test_the_device_limit_holds_until_an_agent_unlinks(api, assistants, agent, db_session):
    provision(api, "K-300400", tier="none")  # one device
    laptop, desktop = assistants("laptop"), assistants("desktop")
    laptop.sign_in("K-300400", password=PASSWORD, device_name="Annas Laptop")

    with pytest.raises(DeviceLimitReached) as refused:
        desktop.sign_in("K-300400", password=PASSWORD, device_name="Wohnzimmer-PC")

    assert refused.value.server_message == (
        "Without a subscription, 1 device can be linked and 'Annas Laptop' is already "
        "linked. Release one of them with this answer's release ticket, unlink one in the "
        "assistant on that computer, or ask the hotline."
    )
    assert refused.value.linked_devices == ("Annas Laptop",)
    assert [d.name for d in stored_devices(db_session, "K-300400")] == ["Annas Laptop"]

    page = agent.post(f"/portal/customers/K-300400/devices/{laptop.device_key.device_id}/unlink")
    assert page.status_code == 200
    assert "“Annas Laptop” has been unlinked." in page.text

    assert desktop.sign_in("K-300400", password=PASSWORD, device_name="Wohnzimmer-PC").linked
    assert [d.name for d in stored_devices(db_session, "K-300400")] == ["Wohnzimmer-PC"]
    # The unlinked laptop learns it at its next connection and asks for a new sign-in.
    status = laptop.refresh()
    assert not status.linked and status.notice == "device_not_linked"


def test_signing_in_again_on_the_same_computer_keeps_one_place(api, assistants, db_session):
    provision(api, "K-300400", tier="none")
    laptop = assistants()
    laptop.sign_in("K-300400", password=PASSWORD, device_name="Laptop")
    first_secret = laptop._link.offline_secret

    laptop.sign_in("K-300400", password=PASSWORD, device_name="Annas Laptop")

    assert [d.name for d in stored_devices(db_session, "K-300400")] == ["Annas Laptop"]
    assert laptop._link.offline_secret != first_secret  # a fresh secret at every link


def test_a_computer_unlinks_itself_and_frees_its_place(api, assistants, db_session):
    provision(api, "K-300400", tier="none")
    laptop = assistants("laptop")
    laptop.sign_in("K-300400", password=PASSWORD, device_name="Alter Laptop")

    status = laptop.sign_out()

    assert not status.linked and stored_devices(db_session, "K-300400") == []
    assert assistants("new").sign_in("K-300400", password=PASSWORD, device_name="Neu").linked


def test_an_activation_code_links_one_computer_once(api, assistants):
    provision(api, "K-500600", password=None)
    created = api.post(f"{PROVISIONING}/K-500600/activation-codes")
    assert created.status_code == 201
    code = created.json()["code"]
    assert len(code) == 14 and code.count("-") == 2  # "ABCD-EFGH-JKMN"

    typed = code.lower().replace("-", " ")  # as a customer might type it
    assert assistants("laptop").sign_in("K-500600", activation_code=typed).tier is Tier.PREMIUM
    with pytest.raises(SignInFailed):
        assistants("tablet").sign_in("K-500600", activation_code=code)


def test_bad_passwords_from_the_back_end_are_refused_and_the_old_one_stays(api, assistants):
    provision(api, "K-100234")

    short = api.put(f"{PROVISIONING}/K-100234/password", json={"password": "kurz"})
    unknown = api.put(f"{PROVISIONING}/K-404404/password", json={"password": PASSWORD})
    missing = api.put(f"{PROVISIONING}/K-100234/password", json={})

    assert short.status_code == 422
    assert short.json()["detail"] == ("The password is too short: it needs at least 8 characters.")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No customer with account number K-404404."
    assert missing.status_code == 422 and "password" in missing.json()["detail"]
    assert assistants().sign_in("K-100234", password=PASSWORD, device_name="Laptop").linked


def test_erasing_a_customer_forgets_the_password_and_the_devices(api, assistants, db_session):
    provision(api, "K-100234")
    laptop = assistants("laptop")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")

    assert api.delete(f"{PROVISIONING}/K-100234").status_code == 204
    provision(api, "K-100234", password=None)  # the account number comes back, fresh

    with pytest.raises(SignInFailed):
        assistants("new").sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    assert stored_devices(db_session, "K-100234") == []
    assert not laptop.refresh().linked  # the old link is gone with the personal data
