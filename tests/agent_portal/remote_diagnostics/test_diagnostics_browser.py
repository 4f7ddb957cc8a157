"""Remote diagnostics on approval, in two browsers: the agent in the portal, the customer on
the page of the real assistant (headless, signed in). Allowed, the report arrives and shows
with its findings, facts and charts; declined or unanswered, the agent sees that and nothing
is stored. Every request and answer is in the log."""

from __future__ import annotations

import pytest

from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.database import utcnow
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from agent_portal.remote_diagnostics.service import report_status
from assistant.diagnostics import DiagnosticsReport
from tests.support.live_customer import linked_device

pytestmark = pytest.mark.browser


def events(world, request_id: str) -> list[str]:
    """The request's record: each step, with the end's reason."""
    rows = world.rows(ConsentEvent, ConsentEvent.consent_id == request_id, order=ConsentEvent.id)
    return [f"{row.event} ({row.detail})" if row.event == "ended" else row.event for row in rows]


def request_diagnostics(page, portal, customer, device) -> None:
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang=en")
    row = page.locator(f"[data-diagnostics-device='{device.id}']")
    row.get_by_test_id("device-presence").filter(has_text="Online").wait_for()
    row.get_by_role("button", name="Request diagnostics").click()


def test_the_customer_allows_and_the_agent_sees_the_report_with_charts(
    portal, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = customer_page(customer_assistant(customer, device_name="Wohnzimmer-PC"))
    erika.page.click(".tab[data-view='dashboard']")  # the dialog comes on any page
    device = linked_device(world, customer)
    page = staff_page(anna)
    request_diagnostics(page, portal, customer, device)

    dialog = erika.page.get_by_role("dialog", name="Your provider asks for a report")
    dialog.wait_for()
    assert "Anna Berger from your provider's hotline asks for a report" in dialog.inner_text()
    items = dialog.locator("#consent-items li").all_inner_texts()
    assert "Working memory" in items and "Wi-Fi" in items  # the checks, by their titles
    assert "Processor" in items  # premium depth, for this support purpose
    erika.page.screenshot(path=output_dir / "assistant-consent.png")
    assert world.count(DiagnosticsReportRecord) == 0  # nothing before the answer
    dialog.get_by_role("button", name="Allow and send").click()
    dialog.wait_for(state="hidden")

    status = page.get_by_test_id("request-status").first
    status.filter(has_text="Report received").wait_for(timeout=60_000)
    erika.page.click(".tab[data-view='help']")
    erika.page.locator("#help-activity").filter(
        has_text="Your report has been sent to Anna Berger."
    ).wait_for()
    page.get_by_test_id("reports").get_by_role("link").first.click()
    page.wait_for_url("**/portal/diagnostics/reports/*")
    page.wait_for_function("document.documentElement.dataset.chartsReady === 'true'")
    facts = page.get_by_test_id("facts")
    facts.get_by_text("Working memory").click()  # opens the check's facts
    assert "Total" in facts.inner_text() and "Share used" in facts.inner_text()
    assert "total bytes" not in facts.inner_text()
    assert page.get_by_test_id("findings").locator("li.finding").count() >= 3
    assert page.get_by_test_id("earlier-reports").locator("[aria-current=page]").count() == 1
    for chart in ("chart-severities", "chart-usage", "chart-trend"):
        assert page.get_by_test_id(chart).bounding_box()["height"] > 50
    page.screenshot(path=output_dir / "live-diagnostics-report.png", full_page=True)
    page.goto(page.url.split("?")[0] + "?lang=de")
    page.wait_for_function("document.documentElement.dataset.chartsReady === 'true'")
    for check in page.get_by_test_id("facts").locator("details").all():
        check.evaluate("element => { element.open = true; }")
    german = page.get_by_test_id("facts").inner_text()
    assert "Gesamt" in german and "True" not in german and "False" not in german
    page.screenshot(path=output_dir / "live-diagnostics-report-de.png", full_page=True)

    (request,) = world.rows(ConsentRequest)
    assert (request.kind, report_status(request, utcnow())) == ("report", "completed")
    assert events(world, request.id) == ["asked", "granted", "ended (completed)"]
    (record,) = world.rows(DiagnosticsReportRecord)
    with world.session() as db_session:
        stored = db_session.get(DiagnosticsReportRecord, record.id).report_json
    report = DiagnosticsReport.model_validate_json(stored)
    checks = {check.check_id for check in report.checks}
    assert {"computer.memory", "computer.cpu", "internet.wifi"} <= checks
    assert len(checks) == len(items)  # exactly what the dialog named


# Long enough for the dialog to reach the customer's page on a busy machine (shorter, it
# could come and go between two updates of the page), short enough for a test.
@pytest.mark.portal_settings(consent_timeout_seconds=10)
def test_declined_or_unanswered_the_agent_sees_it_and_nothing_is_stored(
    portal, world, customer_assistant, customer_page, staff_page
):
    customer = world.customer()
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = customer_page(customer_assistant(customer))
    device = linked_device(world, customer)
    page = staff_page(anna)
    request_diagnostics(page, portal, customer, device)
    dialog = erika.page.get_by_role("dialog", name="Your provider asks for a report")
    dialog.get_by_role("button", name="Decline").click()
    page.get_by_test_id("request-status").first.filter(has_text="The customer declined").wait_for()
    erika.page.locator("#help-activity").filter(
        has_text="You declined the request from Anna Berger. Nothing was sent."
    ).wait_for()

    request_diagnostics(page, portal, customer, device)
    dialog.wait_for()  # the customer walks away from it
    page.get_by_test_id("request-status").first.filter(
        has_text="No answer from the customer"
    ).wait_for()
    dialog.wait_for(state="hidden")  # the dialog closes by itself
    erika.page.locator("#help-activity").filter(
        has_text="The request from Anna Berger has ended. Nothing was sent."
    ).wait_for()

    assert world.count(DiagnosticsReportRecord) == 0
    declined, expired = world.rows(ConsentRequest, order=ConsentRequest.created_at)
    assert events(world, declined.id) == ["asked", "refused"]
    assert events(world, expired.id) == ["asked", "timed_out"]
    assert page.get_by_test_id("reports").count() == 0  # "No reports yet."


def test_an_offline_device_cannot_be_asked(portal, world, staff_page, http):
    customer = world.customer()
    device, _key = world.device(customer)
    anna = world.staff("anna.berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang=en")
    row = page.locator(f"[data-diagnostics-device='{device.id}']")
    assert row.get_by_test_id("device-presence").inner_text() == "Offline"
    assert row.get_by_role("button", name="Request diagnostics").count() == 0
    # A form sent anyway (an old page) gets the reason, and nothing is asked.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{portal.url}/portal/customers/{customer.account_number}/devices/{device.id}/diagnostics",
        form={"csrf_token": token},
    )
    assert response.status == 409
    assert "The device is offline" in response.text()
    assert world.count(ConsentRequest) == 0
