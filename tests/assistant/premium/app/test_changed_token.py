"""A subscription token changed on the computer (here: the package raised by hand) unlocks
nothing, and the customer is told why instead of a bare "locked"."""

from __future__ import annotations

import base64
import json

import pytest

from tests.assistant.premium.app.support import check_status, open_assistant, open_view
from tests.support.premium_portal import PASSWORD, provision, unreachable_url

pytestmark = pytest.mark.browser

NOT_GENUINE = "The premium unlock is not genuine and was refused. Please call the hotline."


def raise_the_package_by_hand(stored) -> None:
    saved = json.loads(stored.read_text())
    payload, signature = saved["token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["tier"] = "premium_plus"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    saved["token"] = f"{changed}.{signature}"
    stored.write_text(json.dumps(saved))


def test_a_changed_subscription_token_unlocks_nothing_and_says_why(
    portal, keys, api, assistants, start_assistant, narrow_page
):
    page = narrow_page
    provision(api, "K-100234", tier="premium")
    laptop = assistants("laptop")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    laptop.close()
    raise_the_package_by_hand(laptop.data_dir / "subscription.json")

    # Offline, so the server cannot hand out a good token again.
    assistant = start_assistant(unreachable_url(), data_dir=laptop.data_dir, pin=keys)
    open_assistant(page, assistant)

    assert check_status(page, "computer.cpu") == "locked"
    note = page.locator("#area-computer .unlock-note")
    assert note.get_attribute("data-reason") == "token_invalid"
    assert NOT_GENUINE in note.inner_text()
    open_view(page, "premium")
    assert page.inner_text("#premium-notice") == NOT_GENUINE
    assert page.inner_text("#premium-state-word") == "Free version"
    assert page.get_attribute("[data-feature='cleanup']", "data-reason") == "token_invalid"
