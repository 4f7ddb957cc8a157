"""Remote diagnostics on approval, the agent in the portal (Chromium) and the customer's
assistant (the real client): allowed, the report arrives and shows with its findings,
facts and charts; declined or unanswered, the agent sees that and nothing is stored. Every
request and answer is in the log."""

from __future__ import annotations

import pytest

from agent_portal.remote_diagnostics.models import (
    DiagnosticsEvent,
    DiagnosticsReportRecord,
    DiagnosticsRequest,
)
from assistant.diagnostics import DiagnosticsReport
from tests.live.support import wait_until

pytestmark = pytest.mark.browser


def events(world, request_id: str) -> list[str]:
    rows = world.rows(
        DiagnosticsEvent, DiagnosticsEvent.request_id == request_id, order=DiagnosticsEvent.id
    )
    return [row.event for row in rows]


def test_the_customer_allows_and_the_agent_sees_the_report_with_charts(
    portal, world, assistant_for, staff_page, output_dir
):
    customer = world.customer()
    device, key = world.device(customer, name="Wohnzimmer-PC")
    anna = world.staff("anna.berger", name="Anna Berger")
    assistant = assistant_for(key, consent_answer=True)
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang=en")
    row = page.locator(f"[data-diagnostics-device='{device.id}']")
    assert row.get_by_test_id("device-presence").inner_text() == "Online"
    row.get_by_role("button", name="Request diagnostics").click()

    status = page.get_by_test_id("request-status").first
    status.filter(has_text="Report received").wait_for()
    agent_name, what = assistant.consent_asked[0]
    assert agent_name == "Anna Berger"
    assert "Working memory" in what and "Wi-Fi" in what  # the checks, by their titles
    page.get_by_test_id("reports").get_by_role("link").first.click()
    page.wait_for_url("**/portal/diagnostics/reports/*")
    page.wait_for_function("document.documentElement.dataset.chartsReady === 'true'")
    facts = page.get_by_test_id("facts")
    facts.get_by_text("Working memory").click()  # opens the check's facts
    assert "total bytes" in facts.inner_text() and "percent" in facts.inner_text()
    assert page.get_by_test_id("findings").locator("li.finding").count() >= 3
    assert page.get_by_test_id("earlier-reports").locator("[aria-current=page]").count() == 1
    for chart in ("chart-severities", "chart-usage", "chart-trend"):
        assert page.get_by_test_id(chart).bounding_box()["height"] > 50
    page.screenshot(path=output_dir / "live-diagnostics-report.png", full_page=True)

    (request,) = world.rows(DiagnosticsRequest)
    assert request.status == "completed"
    assert events(world, request.id) == ["requested", "allowed", "report_received"]
    (record,) = world.rows(DiagnosticsReportRecord)
    with world.session() as db_session:
        stored = db_session.get(DiagnosticsReportRecord, record.id).report_json
    report = DiagnosticsReport.model_validate_json(stored)
    assert [check.check_id for check in report.checks] == [
        "computer.memory",
        "computer.storage",
        "computer.uptime",
    ]
    assert assistant.diagnostics_outcomes == [(request.id, "sent")]


@pytest.mark.portal_settings(consent_timeout_seconds=1.5)
def test_declined_or_unanswered_the_agent_sees_it_and_nothing_is_stored(
    portal, world, assistant_for, staff_page
):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    assistant = assistant_for(key, consent_answer=False)
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang=en")
    button = page.locator(f"[data-diagnostics-device='{device.id}']").get_by_role(
        "button", name="Request diagnostics"
    )
    button.click()
    page.get_by_test_id("request-status").first.filter(has_text="The customer declined").wait_for()

    assistant.consent_answer = "never"  # the customer walks away from the dialog
    page.locator(f"[data-diagnostics-device='{device.id}']").get_by_role(
        "button", name="Request diagnostics"
    ).click()
    page.get_by_test_id("request-status").first.filter(
        has_text="No answer from the customer"
    ).wait_for()
    wait_until(lambda: len(assistant.diagnostics_outcomes) == 2, what="the dialog closed")
    assert [outcome for _id, outcome in assistant.diagnostics_outcomes] == ["declined", "expired"]

    assert world.count(DiagnosticsReportRecord) == 0
    declined, expired = world.rows(DiagnosticsRequest, order=DiagnosticsRequest.created_at)
    assert events(world, declined.id) == ["requested", "declined"]
    assert events(world, expired.id) == ["requested", "expired"]
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
    assert world.count(DiagnosticsRequest) == 0
