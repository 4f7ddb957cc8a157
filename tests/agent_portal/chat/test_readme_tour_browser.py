"""The product in German as the README shows it, in two browsers: a premium customer asks
for help in the assistant and chats with the hotline agent in the portal; the customer
reads the checks' results and opens a finding, the agent asks for a diagnostics report,
the customer allows it, and the report opens in the portal.
Each view the README shows is checked and pictured at the state it shows
(tests/support/readme_shots.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agent_portal.database import utcnow
from agent_portal.demo_mail import start_mail_server
from agent_portal.provider.settings import ProviderSettings
from agent_portal.realtime.models import LiveConnection
from tests.support.browser import choose_language
from tests.support.live import wait_until
from tests.support.live_customer import linked_device
from tests.support.readme_shots import marker as readme_screenshots
from tests.support.readme_shots import readme_shot

pytestmark = [pytest.mark.browser, readme_screenshots]

QUESTION = "Mein WLAN bricht jeden Abend ab."
ANSWER = "Bitte starten Sie den Router neu und sagen Sie mir Bescheid, wenn er wieder da ist."
REPLY = "Erledigt, das WLAN ist wieder da."
GERMAN = {"locale": "de-DE"}  # a German browser: its language and formats sent with each page


@pytest.fixture
def mail_server(tmp_path):
    """The provider's mail server, healthy, as in the demo."""
    server = start_mail_server(tmp_path / "mail")
    yield server
    server.stop()


@pytest.fixture
def settings(settings, mail_server, internet):
    """The portal's settings with a provider profile, as an ISP sets it up."""
    provider = ProviderSettings(
        _env_file=None,
        name="Beispiel-Netz",
        hotline_phone="0800 123 4567",
        mail_servers=[mail_server.server],
        internet_endpoints=[f"127.0.0.1:{internet.port}"],
        dns_test_names=["localhost"],
    )
    return settings.model_copy(update={"provider": provider})


def customer_computer(customer_assistant, customer, mail_server):
    """The customer's assistant in Germany, checking the provider's mail server (instead of
    the tests' closed port) and trusting its certificate as the demo's assistant does."""
    return customer_assistant(
        customer,
        TZ="Europe/Berlin",
        # The router's page by the name customers know; where no such router is, as in the
        # tests, it does not open and the report says so.
        ISP_ASSISTANT_MODEM_URL="http://fritz.box/",
        ISP_ASSISTANT_MAIL_SERVERS=json.dumps([mail_server.server.model_dump(mode="json")]),
        ISP_ASSISTANT_MAIL_CA_FILE=str(mail_server.ca_file),
    )


def premium_customer(world):
    subscription = {"tier": "premium", "valid_until": utcnow() + timedelta(days=200)}
    return world.customer(subscription=subscription)


def in_german(erika) -> None:
    """The customer chooses German in the assistant's menu, as a person would."""
    choose_language(erika.page, "de")
    erika.wait_connected()


def test_a_chat_in_german_between_the_assistant_and_the_portal(
    portal, world, customer_assistant, customer_page, staff_page, mail_server
):
    customer = premium_customer(world)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    page = staff_page(anna, **GERMAN)
    page.goto(f"{portal.url}/portal/inbox?lang=de")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))

    erika = customer_page(customer_computer(customer_assistant, customer, mail_server), **GERMAN)
    in_german(erika)
    erika.page.select_option("#help-topic", "wifi")
    erika.page.fill("#help-question", QUESTION)
    erika.page.click("#help-start")
    erika.page.locator("#help-status").filter(has_text="Anna Berger").wait_for()

    page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann").click()
    page.wait_for_url("**/portal/chats/*")
    page.get_by_test_id("connection-state").filter(has_text="Verbunden.").wait_for()
    page.fill("#message-text", ANSWER)
    page.keyboard.press("Enter")
    erika.wait_for(ANSWER)
    erika.write(REPLY)
    page.locator("#messages").get_by_text(REPLY).wait_for()
    erika.page.locator("#help-messages li.pending").wait_for(state="detached")
    assert "Anna Berger hat den Chat übernommen." in page.inner_text("#messages")

    readme_shot(page, "portal-chat")
    readme_shot(erika.page, "assistant-live-help")


def test_the_checks_and_a_diagnostics_report_in_german(
    portal, world, customer_assistant, customer_page, staff_page, mail_server
):
    customer = premium_customer(world)
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = customer_page(customer_computer(customer_assistant, customer, mail_server), **GERMAN)
    in_german(erika)
    erika.page.click(".tab[data-view='dashboard']")
    erika.page.wait_for_selector("body[data-run='finished']")
    readme_shot(erika.page, "assistant-overview")
    erika.page.click("[data-check='internet.gateway'] button.check-row")
    finding = erika.page.locator("#details-internet-gateway")
    assert "Was Sie tun können" in finding.text_content()
    # The help articles for the finding are looked up on opening: the picture waits for them.
    finding.get_by_text("Passende Hilfe-Artikel werden gesucht").wait_for(state="hidden")
    finding.scroll_into_view_if_needed()
    readme_shot(erika.page, "assistant-finding")
    device = linked_device(world, customer)
    page = staff_page(anna, **GERMAN)
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang=de")
    row = page.locator(f"[data-diagnostics-device='{device.id}']")
    row.get_by_test_id("device-presence").filter(has_text="Online").wait_for()
    readme_shot(page, "portal-customer")

    row.get_by_role("button", name="Diagnose anfordern").click()
    dialog = erika.page.locator("#consent-dialog")
    dialog.wait_for()
    dialog.get_by_role("button", name="Erlauben und senden").click()
    dialog.wait_for(state="hidden")
    status = page.get_by_test_id("request-status").first
    status.filter(has_text="Bericht erhalten").wait_for(timeout=60_000)
    page.get_by_test_id("reports").get_by_role("link").first.click()
    page.wait_for_url("**/portal/diagnostics/reports/*")
    page.wait_for_function("document.documentElement.dataset.chartsReady === 'true'")
    findings = page.get_by_test_id("findings")
    findings.get_by_text("Ihr Router antwortet nicht").wait_for()
    readme_shot(page, "portal-report")
