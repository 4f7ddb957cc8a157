"""The payments page in Debian's Chromium, in English and German: the fee chart drawn on
the server (no script, nothing the CSP blocks), its table, the sessions' money, and a
refund sent from the session's page. The browser helpers fail on console errors, CSP
violations and axe-core findings; screenshots go to test-output/pages/."""

from __future__ import annotations

import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from tests.support.browser import audit

pytestmark = pytest.mark.browser


def test_the_admin_reads_the_money_and_refunds_in_both_languages(world, page):
    page.set_default_timeout(10_000)
    admin = world.browser("ada.admin", "admin")
    erika = world.customer("K-100234")
    first = world.paid_session(erika, amount=1850, waived=350, tip=400)
    second = world.paid_session(world.customer("K-200345"), "otto.expert", amount=990, tip=0)
    world.dispute(second, "Der Experte war nach zwei Minuten weg.")
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": admin.session_token, "url": world.base_url}]
    )

    page.goto(f"{world.base_url}/portal/admin/billing?lang=en")
    assert page.get_by_role("heading", name="Payments", exact=True).is_visible()
    chart = page.get_by_role("img", name="Fee income per month in CHF")
    assert chart.is_visible()
    page.get_by_text("The figures as a table").click()
    assert page.get_by_test_id("fee-table").is_visible()
    row = page.locator(f'tr[data-session-id="{first}"]')
    assert row.locator('[data-column="charged"]').inner_text() == "CHF\xa015.00"
    assert row.locator('[data-column="fee"]').inner_text() == "CHF\xa03.80"
    audit(page, "payments-en")

    row.get_by_role("link", name=f"#{first}").click()
    first_form_key = page.locator('input[name="refund_key"]').input_value()
    page.get_by_label("Amount in CHF").fill("5")
    page.get_by_label("Reason (kept with the refund)").fill("Die Verbindung brach ab")
    page.get_by_role("button", name="Refund").click()
    assert page.get_by_text("CHF\xa05.00 refunded.").is_visible()
    assert page.get_by_test_id("refunds").get_by_text("Die Verbindung brach ab").is_visible()
    audit(page, "session-after-refund-en")

    page.goto(f"{world.base_url}/portal/admin/billing?lang=de")
    assert page.get_by_role("heading", name="Zahlungen", exact=True).is_visible()
    assert page.get_by_role("img", name="Gebühreneinnahmen pro Monat in CHF").is_visible()
    row = page.locator(f'tr[data-session-id="{first}"]')
    assert row.locator('[data-column="refunded"]').inner_text() == "5,00\u00a0CHF"
    page.get_by_label("Nur mit Erstattungen").check()
    page.get_by_role("button", name="Anzeigen").click()
    assert page.locator("tr[data-session-id]").count() == 1
    audit(page, "payments-de-refunded-only")

    page.get_by_role("link", name="1 Einspruch wartet auf eine Entscheidung.").click()
    page.locator(f'tr[data-session-id="{second}"]').get_by_role("link").first.click()
    assert page.get_by_text("Der Experte war nach zwei Minuten weg.").is_visible()
    audit(page, "session-with-dispute-de")
    page.get_by_label("Abgelehnt: der Betrag bleibt").check()
    page.get_by_label("Notiz (darf der Kundin oder dem Kunden mitgeteilt werden)").fill(
        "Die Sitzung lief zehn Minuten."
    )
    page.get_by_role("button", name="Einspruch entscheiden").click()
    assert page.get_by_text("Der Einspruch ist entschieden.").is_visible()
    audit(page, "dispute-resolved-de")

    # The first refund's form sent once more with another amount (a page kept open, the
    # browser's back button): refused in German, and nothing more is refunded.
    page.goto(f"{world.base_url}/portal/admin/billing/sessions/{first}?lang=de")
    key = page.locator('input[name="refund_key"]')
    key.evaluate("(input, old) => { input.value = old; }", first_form_key)
    page.get_by_label("Betrag in CHF").fill("6")
    page.get_by_label("Grund (wird mit der Erstattung gespeichert)").fill("Noch einmal")
    page.get_by_role("button", name="Erstatten").click()
    refusal = page.get_by_role("alert").filter(has_text="schon mit anderen Werten gesendet")
    assert refusal.count() == 1, "said once, beside the form"
    assert refusal.is_visible()
    assert page.get_by_test_id("refunds").get_by_text("Noch einmal").count() == 0
    audit(page, "session-refund-sent-again-de")
