"""What the customer shares, and with whom, on the page of the real assistant (headless,
signed in): a report the customer allowed is listed while the checks run, with a button
that stops it; stopped, nothing is sent, the customer reads so and the agent sees it in
the portal."""

from __future__ import annotations

import pytest

from agent_portal.consent.models import ConsentRequest
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from tests.agent_portal.remote_diagnostics.test_diagnostics_browser import (
    events,
    request_diagnostics,
)
from tests.support.browser import choose_language
from tests.support.live_customer import linked_device

pytestmark = pytest.mark.browser


def test_the_customer_stops_a_report_while_the_checks_run(
    portal, world, customer_assistant, customer_page, staff_page, internet, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", name="Anna Berger")
    # The router's page answers nothing for a few seconds: long enough to press Stop.
    slow_router = {
        "ISP_ASSISTANT_MODEM_URL": f"http://127.0.0.1:{internet.port}/",
        "ISP_ASSISTANT_NETWORK_TIMEOUT_SECONDS": "9",
    }
    erika = customer_page(customer_assistant(customer, **slow_router))
    device = linked_device(world, customer)
    page = staff_page(anna)
    request_diagnostics(page, portal, customer, device)

    dialog = erika.page.get_by_role("dialog", name="Your provider asks for a report")
    dialog.get_by_role("button", name="Allow and send").click()
    dialog.wait_for(state="hidden")
    shared = erika.page.get_by_role("region", name="What you share, and with whom")
    shared.wait_for()
    assert "A report on this computer" in shared.inner_text()
    assert "Anna Berger from your provider's hotline" in shared.inner_text()
    erika.page.screenshot(path=output_dir / "assistant-consent-shared.png")

    choose_language(erika.page, "de")  # the customer reads it in German too
    erika.page.click(".tab[data-view='help']")
    shared = erika.page.get_by_role("region", name="Was Sie teilen, und mit wem")
    assert "Anna Berger von der Hotline Ihres Anbieters" in shared.inner_text()
    erika.page.screenshot(path=output_dir / "assistant-consent-shared-de.png")
    shared.get_by_role("button", name="Beenden: Ein Bericht über diesen Computer").click()

    shared.wait_for(state="hidden")
    erika.page.locator("#help-activity").filter(
        has_text="Sie haben den Bericht für Anna Berger gestoppt. Es wurde nichts gesendet."
    ).wait_for()
    page.get_by_test_id("request-status").first.filter(
        has_text="Stopped by the customer"
    ).wait_for()
    assert world.count(DiagnosticsReportRecord) == 0
    (request,) = world.rows(ConsentRequest)
    assert events(world, request.id) == ["asked", "granted", "revoked"]
