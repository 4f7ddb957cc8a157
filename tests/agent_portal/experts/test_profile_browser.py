"""An expert's profile on its way to customers, in Debian's Chromium: the expert fills in
"My profile" with a photo (a fourth category first, which the form refuses), an admin
approves it on "Expert profiles", and the assistant's API then shows it, in German and
English. Screenshots of each state go to test-output/pages/."""

from __future__ import annotations

import time

import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from isp_common.experts_wire import ExpertProfilePublic
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.experts.conftest import add_staff, photo_bytes
from tests.support.browser import audit
from tests.support.portal_data import new_portal_session
from tests.support.premium_portal import (  # noqa: F401 - fixtures used by name
    PASSWORD,
    api,
    assistants,
    keys,
    provision,
)

pytestmark = pytest.mark.browser


def log_in_as(page, portal, db_session, staff) -> None:
    """The browser holds a portal session of `staff` (and no other)."""
    session = new_portal_session(db_session, staff)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": session.token, "url": portal.url, "httpOnly": True}]
    )


def signed_get(http, device_key, path: str, language: str):
    headers = device_request_headers(
        sign=device_key.sign,
        device_id=device_key.device_id,
        method="GET",
        target=path.encode(),
        body=b"",
        timestamp=int(time.time()),
    )
    return http.get(path, headers={**headers, "Accept-Language": language})


def test_an_expert_profile_is_filled_approved_and_shown_to_the_assistant(
    portal,
    page,
    db_session,
    api,  # noqa: F811
    assistants,  # noqa: F811
    http,
    tmp_path,
):
    provision(api, "K-300200")
    laptop = assistants()
    laptop.sign_in("K-300200", password=PASSWORD, device_name="Laptop")
    expert = add_staff(db_session, "eva.keller", "expert")
    admin = add_staff(db_session, "ida.admin", "admin")
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(photo_bytes((1200, 900), "JPEG"))
    page.set_default_timeout(30_000)

    # The expert, in German: the empty form, then a fourth category, refused.
    log_in_as(page, portal, db_session, expert)
    page.goto(f"{portal.url}/portal/expert/profile?lang=de")
    audit(page, "my-profile-empty-de")
    page.fill("#display_name", "Eva Keller")
    page.check("input[name=languages][value=fr]")
    for name in ("Windows", "macOS", "Linux", "Drucker & Scanner"):
        page.get_by_label(name, exact=True).check()
    page.fill("#keywords", "Windows 11, Treiber, Drucker")
    page.fill("#slogan", "Ich mache Ihren PC wieder schnell und sicher.")
    page.fill("#qualifications", "Microsoft Certified: Modern Desktop")
    page.fill("#experience", "10 Jahre PC-Support für Privatkunden.")
    page.fill("#price_per_minute", "1,80")
    page.set_input_files("#photo", photo)
    page.get_by_role("button", name="Zur Freigabe senden").click()
    page.wait_for_load_state()
    assert page.inner_text("#categories-error") == (
        "Wählen Sie höchstens 3 Kategorien (gewählt: 4)."
    )
    assert page.input_value("#slogan") == "Ich mache Ihren PC wieder schnell und sicher."
    audit(page, "my-profile-refused-de")

    page.get_by_label("Linux", exact=True).uncheck()
    page.set_input_files("#photo", photo)  # a refused form keeps no file: chosen again
    page.get_by_role("button", name="Zur Freigabe senden").click()
    page.wait_for_url("**/portal/expert/profile")
    assert "zur Freigabe eingereicht" in page.get_by_role("status").first.inner_text()
    assert page.get_by_test_id("profile-state").get_attribute("data-state") == "pending"
    assert page.locator("img.profile-photo").evaluate("img => img.naturalWidth") == 512
    audit(page, "my-profile-pending-de")
    page.goto(f"{portal.url}/portal/expert/profile?lang=en")
    assert "waiting for approval" in page.get_by_test_id("profile-state").inner_text()
    audit(page, "my-profile-pending-en")

    # The admin, in English, sees what would change and approves it.
    log_in_as(page, portal, db_session, admin)
    page.goto(f"{portal.url}/portal/admin/experts?lang=en")
    waiting = page.get_by_test_id("pending-profile")
    assert waiting.count() == 1
    assert "Eva Keller" in waiting.inner_text() and "CHF\xa01.80" in waiting.inner_text()
    assert "Windows, macOS, Printers & scanners" in waiting.inner_text()
    audit(page, "review-pending-en")
    page.goto(f"{portal.url}/portal/admin/experts?lang=de")
    assert "1,80\xa0CHF" in page.get_by_test_id("pending-profile").inner_text()
    audit(page, "review-pending-de")
    page.get_by_role("button", name="Freigeben").click()
    page.wait_for_url("**/portal/admin/experts")
    assert "ist freigegeben" in page.get_by_role("status").first.inner_text()
    assert "für Kunden sichtbar" in page.get_by_test_id("expert-list").inner_text()
    audit(page, "review-approved-de")
    row = page.get_by_test_id("expert-list").locator("tr[data-profile-id]").first
    expert_id = int(row.get_attribute("data-profile-id"))
    page.goto(f"{portal.url}/portal/admin/expert-categories?lang=en")
    audit(page, "categories-en")
    page.goto(f"{portal.url}/portal/admin/expert-categories?lang=de")
    audit(page, "categories-de")

    # The assistant's API shows the approved profile, category names in its language.
    for language, names in (
        ("de", ["Windows", "macOS", "Drucker & Scanner"]),
        ("en", ["Windows", "macOS", "Printers & scanners"]),
    ):
        shown = ExpertProfilePublic.model_validate(
            signed_get(http, laptop.device_key, f"/api/v1/experts/{expert_id}", language).json()
        )
        assert shown.display_name == "Eva Keller" and shown.prices.per_minute == 180
        assert [category.name for category in shown.categories] == names
        assert shown.languages == ["de", "fr"] or shown.languages == ["fr", "de"]
    picture = signed_get(http, laptop.device_key, shown.photo_url, "en")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
