"""Invoices and payouts between real browsers: after a paid session, the customer's real
assistant (headless, signed in) lists the invoice on the Experts tab with its total and
offers its PDF, and the customer disputes the charge by keyboard (a dispute without a
reason refused beside the field); the expert reads the month's payout report in the
portal and an admin marks it paid out. English and German, with screenshots of each."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agent_portal.billing.models import BillingDispute
from agent_portal.database import utcnow
from agent_portal.invoices import service
from agent_portal.paid_sessions.models import PaidSession
from isp_common import formatting
from tests.agent_portal.experts.appointments.support import prechat
from tests.agent_portal.invoices.sessions import ISSUER, People, ended_session
from tests.support.browser import audit, choose_language

pytestmark = pytest.mark.browser


def _last_month() -> datetime:
    first = utcnow().replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return first - timedelta(days=10)


def test_the_customer_sees_the_invoice_and_the_admin_pays_the_month_out(
    portal, world, customer_assistant, customer_page, staff_page
):
    chat = prechat(world, customer_language="en")
    ended = _last_month()
    with world.session() as db_session:
        from agent_portal.experts.models import ExpertProfile

        profile = db_session.get(ExpertProfile, chat.expert.expert_id)
        who = People(chat.customer.id, chat.expert.id, profile.id, chat.conversation_id)
        ended_session(db_session, who, amount=4500, tip=500, ended_at=ended)
        (invoice, _credit) = service.issue_due(db_session=db_session, now=utcnow(), issuer=ISSUER)
        number = invoice.number
        db_session.commit()

    assistant = customer_assistant(chat.customer)
    erika = customer_page(assistant).page
    tab = erika.get_by_role("button", name="Experts")
    tab.wait_for()
    tab.click()
    card = erika.locator("#invoices-list .invoice-card")
    card.wait_for()
    assert card.get_by_role("heading").inner_text() == f"Invoice {number}"
    total = formatting.money(5000, "CHF", locale="en")
    assert card.locator(".invoice-total").inner_text() == total
    card.get_by_role("link", name=f"Download PDF: Invoice {number}").wait_for()
    audit(erika, "assistant-invoices-en")

    # The customer disputes the charge, by keyboard; without a reason it is refused.
    dispute = card.get_by_role("button", name=f"Dispute this charge: Invoice {number}")
    dispute.focus()
    erika.keyboard.press("Enter")
    assert dispute.get_attribute("aria-expanded") == "true"
    reason = card.get_by_label("What is wrong with this charge?")
    assert erika.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    card.get_by_role("button", name="Send dispute").press("Enter")
    refused = card.get_by_role("alert")
    refused.filter(has_text="Please say what is wrong with this charge.").wait_for()
    assert reason.get_attribute("aria-invalid") == "true"
    audit(erika, "assistant-invoice-dispute-refused-en")
    assert world.count(BillingDispute) == 0
    with assistant.client() as client:  # a text too long is refused whole, with the limit
        too_long = client.post(
            f"/api/invoices/sessions/{world.rows(PaidSession)[0].id}/dispute",
            json={"reason": "x" * 1001},
        )
    assert too_long.status_code == 400
    assert too_long.json()["error"] == "Please say it in at most 1,000 characters."
    assert world.count(BillingDispute) == 0
    reason.fill("We spoke for 20 minutes, not 45.")
    card.get_by_role("button", name="Send dispute").press("Enter")
    standing = "You have disputed this charge. Your provider is checking it."
    card.get_by_role("status").filter(has_text=standing).wait_for()
    assert world.rows(BillingDispute)[0].reason == "We spoke for 20 minutes, not 45."
    audit(erika, "assistant-invoice-disputed-en")

    choose_language(erika, "de")
    erika.get_by_role("button", name="Experten", exact=True).click()
    german = erika.locator("#invoices-list .invoice-card")
    german.get_by_role("heading", name=f"Rechnung {number}").wait_for()
    assert german.locator(".invoice-total").inner_text().replace("\xa0", " ") == "50,00 CHF"
    german.get_by_text("Sie haben diese Abrechnung beanstandet. Ihr Anbieter prüft sie.").wait_for()
    audit(erika, "assistant-invoices-de")

    period = f"{ended.year:04d}-{ended.month:02d}"
    report = f"{portal.url}/portal/payouts/{period}/{chat.expert.id}"
    expert = staff_page(chat.expert)
    expert.goto(report + "?lang=en")
    expert.get_by_test_id("payout-status").get_by_text("Not paid out yet").wait_for()
    audit(expert, "portal-payout-report-en")
    expert.goto(report + "?lang=de")
    expert.get_by_test_id("payout-status").get_by_text("Noch nicht ausbezahlt").wait_for()
    audit(expert, "portal-payout-report-de")

    admin_member = world.staff("ada.admin", role="admin", name="Ada Admin")
    admin = staff_page(admin_member)
    admin.goto(f"{portal.url}/portal/payouts?period={period}&lang=en")
    admin.get_by_role("link", name="Mira Keller").click()
    admin.get_by_role("button", name=f"Mark {period} paid out").click()
    admin.get_by_test_id("payout-status").get_by_text("Paid out on").wait_for()
    audit(admin, "portal-payout-paid-en")
    admin.goto(f"{portal.url}/portal/payouts?period={period}&lang=de")
    admin.get_by_text("Ausbezahlt am").wait_for()
    audit(admin, "portal-payouts-overview-de")
