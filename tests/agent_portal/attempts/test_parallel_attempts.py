"""A hundred wrong secrets sent at once to the assistant's API, over real HTTP on both
databases: exactly as many are checked as the attempt limit allows, the rest are refused
unchecked, and the limit locks as it does for guesses one after another. Right codes sent
at once from one address all work, although there are more of them than attempts."""

from __future__ import annotations

from collections import Counter

import pytest

from agent_portal.audit.service import entries_for
from agent_portal.devices.audit_events import Event as DeviceEvent
from agent_portal.unlock_codes.audit_events import Event
from assistant.premium.client import DeviceSignature
from assistant.premium.device_keys import DeviceKey
from assistant.premium.errors import SignInLocked, TooManyAttempts
from isp_common.premium_wire import LINK_PATH, REDEEM_PATH
from tests.support.burst import burst
from tests.support.premium_portal import PASSWORD, provision

AT_ONCE = 100


def checked(db_session, event: Event) -> int:
    db_session.expire_all()
    return len(entries_for(db_session=db_session, event=event))


def test_a_hundred_wrong_codes_at_once_check_only_the_limit(
    api, assistants, agent, portal, db_session, settings
):
    provision(api, "K-100234", tier="none")
    laptop = assistants("erika")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    code = agent.issue_code("K-100234")
    wrong = "1111 1111" if code != "1111 1111" else "2222 2222"

    answers = burst(
        portal.url,
        AT_ONCE,
        lambda client, _n: client.post(REDEEM_PATH, json={"code": wrong}),
        auth=DeviceSignature(laptop.device_key),
    )

    limit = settings.unlock_max_failures
    assert checked(db_session, Event.UNLOCK_CODE_FAILED) == limit
    assert checked(db_session, Event.UNLOCK_LOCKED) == 1
    # The wrong codes before the last say "wrong"; the last locks, and every other request
    # was refused without looking at its code.
    assert Counter(answer.status_code for answer in answers) == {
        403: limit - 1,
        429: AT_ONCE - limit + 1,
    }
    with pytest.raises(TooManyAttempts):
        laptop.unlock_with_code(code)


def test_a_hundred_wrong_sign_ins_at_once_check_only_the_limit(
    api, assistants, portal, db_session, settings, tmp_path
):
    provision(api, "K-100234")
    key = DeviceKey.load_or_create(tmp_path / "attacker")
    body = {
        "account_number": "K-100234",
        "password": "falsch-falsch",
        "device_name": "Attacker",
        "platform": "linux",
        "public_key": key.public_key_base64(),
    }

    answers = burst(
        portal.url,
        AT_ONCE,
        lambda client, _n: client.post(LINK_PATH, json=body),
        auth=DeviceSignature(key),
    )

    limit = settings.unlock_max_failures
    assert checked(db_session, DeviceEvent.SIGN_IN_FAILED) == limit
    assert checked(db_session, DeviceEvent.SIGN_IN_LOCKED) == 1
    assert Counter(answer.status_code for answer in answers) == {
        401: limit - 1,
        429: AT_ONCE - limit + 1,
    }
    with pytest.raises(SignInLocked):
        assistants("erika").sign_in("K-100234", password=PASSWORD, device_name="Laptop")


def test_more_right_codes_at_once_from_one_address_than_attempts_all_work(
    api, assistants, agent, portal, db_session, settings
):
    computers, codes = [], []
    for number in range(settings.unlock_max_failures + 3):
        account_number = f"K-{100200 + number}"
        provision(api, account_number, tier="none")
        computer = assistants(account_number)
        computer.sign_in(account_number, password=PASSWORD, device_name="PC")
        computers.append(computer)
        codes.append(agent.issue_code(account_number))

    answers = burst(
        portal.url,
        len(codes),
        lambda client, n: client.post(
            REDEEM_PATH, json={"code": codes[n]}, auth=DeviceSignature(computers[n].device_key)
        ),
    )

    assert [answer.status_code for answer in answers] == [200] * len(codes)
    assert checked(db_session, Event.UNLOCK_CODE_REDEEMED) == len(codes)
