"""A paid session on the customer's page, in Chromium against the real assistant (headless,
signed in) and the real portal, by keyboard where a customer would use it: asking the
expert for a session, reading the terms before anything starts, a maximum that cannot be
used refused beside the field, the confirmed maximum starting the meter, pause and resume,
ending it with a confirmation, the summary and a tip; in English, then in German. Each step
is audited (console, CSP, axe) and photographed."""

from __future__ import annotations

import pytest

from agent_portal.paid_sessions.models import PaidSession, PaidSessionHold
from tests.agent_portal.expert_desk.support import approved_expert
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser

NBSP = str.maketrans({"\xa0": " ", "\u202f": " "})


def text_of(page, selector: str) -> str:
    return page.inner_text(selector).translate(NBSP)


def test_the_customer_confirms_runs_and_ends_a_paid_session_on_the_page(
    portal, world, customer_assistant, customer_page, staff_client
):
    customer = world.customer()
    eva = approved_expert(world, "eva.expert", "Eva Experte")  # CHF 1.50 per minute
    tab = staff_client(eva)
    tab.next("presence", kind="staff", id=eva.id)
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_until(lambda: client.get("/api/live").json()["state"] == "connected")
        started = client.post(
            f"/api/experts/{eva.expert_id}/prechat", json={"text": "Can you set up my NAS?"}
        )
        assert started.status_code == 201, started.text
    erika = customer_page(assistant).page
    erika.locator("#help-status").filter(has_text="Eva Experte").wait_for()

    # The customer asks, by keyboard.
    ask = erika.get_by_role("button", name="Ask for a paid session")
    ask.focus()
    erika.keyboard.press("Enter")
    assert ask.get_attribute("aria-expanded") == "true"
    erika.get_by_role("radio", name="Per minute").check()
    erika.get_by_role("button", name="Send request").click()

    # The terms first; nothing starts before the customer confirms a maximum.
    panel = erika.locator("#session-panel")
    panel.locator("#session-confirm-form:not([hidden])").wait_for()
    assert text_of(erika, "#session-title") == "You asked Eva Experte for a paid session"
    assert text_of(erika, "#session-terms") == "CHF 1.50 per minute"
    assert text_of(erika, "#session-billing").startswith("Counted ")
    maximum = erika.get_by_label("Your maximum amount")
    assert maximum.input_value() == "22.50"
    assert "15 minutes cost CHF 22.50." in text_of(erika, "#session-maximum-hint")
    audit(erika, "paid-session-proposal-en")

    maximum.fill("lots")
    maximum.press("Enter")
    error = erika.locator("#session-maximum-error")
    error.wait_for()
    assert error.get_attribute("role") == "alert"
    assert text_of(erika, "#session-maximum-error") == (
        "“lots” is not an amount. Please enter an amount such as 22.50."
    )
    assert maximum.get_attribute("aria-invalid") == "true"
    maximum.fill("0")
    erika.get_by_role("button", name="Confirm and start").click()
    erika.locator("#session-maximum-error").filter(
        has_text="Please enter an amount greater than zero."
    ).wait_for()
    audit(erika, "paid-session-refused-maximum-en")
    assert world.count(PaidSessionHold) == 0

    maximum.fill("22.50")
    maximum.press("Enter")
    panel.locator("#session-meter:not([hidden])").wait_for()
    erika.locator("#session-title").filter(has_text="is running").wait_for()
    assert text_of(erika, "#session-maximum-shown") == "CHF 22.50"
    assert erika.locator("#session-clock").get_attribute("role") == "timer"
    audit(erika, "paid-session-running-en")

    erika.get_by_role("button", name="Pause").click()
    erika.locator("#session-title").filter(has_text="You have paused the session.").wait_for()
    erika.get_by_role("button", name="Resume").click()
    erika.locator("#session-title").filter(has_text="is running").wait_for()

    erika.get_by_role("button", name="End session").click()
    no = erika.get_by_role("button", name="No, go on")
    assert erika.evaluate("() => document.activeElement.id") == "session-end-no"
    no.press("Enter")  # changed their mind: it runs on
    assert panel.get_attribute("data-stage") == "running"
    erika.get_by_role("button", name="End session").click()
    erika.get_by_role("button", name="Yes, end it").click()
    panel.locator("#session-summary:not([hidden])").wait_for()
    assert text_of(erika, "#session-title") == "The paid session with Eva Experte has ended."
    labels = erika.locator("#session-summary-rows dt").all_inner_texts()
    assert labels == ["Time", "Amount", "Waived by the expert", "Tip", "Total"]
    audit(erika, "paid-session-summary-en")

    tip = erika.get_by_label("Would you like to give a tip? (optional)")
    tip.fill("2")
    tip.press("Enter")
    erika.locator("#session-tip-thanks").filter(has_text="Thank you").wait_for()
    assert erika.locator("#session-tip-form").is_hidden()
    wait_until(lambda: world.rows(PaidSession)[0].tip == 200, what="the tip stored")

    # German: the same summary in the customer's language.
    choose_language(erika, "de")
    erika.locator(".tab[data-view='help']").click()
    erika.locator("#session-title").filter(
        has_text="Die bezahlte Sitzung mit Eva Experte ist beendet."
    ).wait_for()
    labels = erika.locator("#session-summary-rows dt").all_inner_texts()
    assert labels == ["Zeit", "Betrag", "Vom Experten erlassen", "Trinkgeld", "Gesamt"]
    assert text_of(erika, "#session-summary-rows [data-row='tip'] dd") == "2,00 CHF"
    audit(erika, "paid-session-summary-de")


def test_the_proposal_reads_in_german_and_a_refused_maximum_says_why(
    portal, world, customer_assistant, customer_page, staff_client
):
    customer = world.customer()
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    tab = staff_client(eva)
    tab.next("presence", kind="staff", id=eva.id)
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_until(lambda: client.get("/api/live").json()["state"] == "connected")
        started = client.post(
            f"/api/experts/{eva.expert_id}/prechat", json={"text": "Können Sie helfen?"}
        )
        assert started.status_code == 201, started.text
    erika = customer_page(assistant).page
    choose_language(erika, "de")
    erika.locator(".tab[data-view='help']").click()
    erika.get_by_role("button", name="Um eine bezahlte Sitzung bitten").click()
    # Eva has no fixed price: the server refuses, and the form says so where it was asked.
    erika.get_by_role("radio", name="Festpreis").check()
    erika.get_by_role("button", name="Anfrage senden").click()
    refusal = erika.locator("#session-ask-error")
    refusal.wait_for()
    assert refusal.inner_text() == (
        "Eva Experte bietet hier keine Sitzung zum Festpreis an. Bitten Sie um eine Sitzung "
        "pro Minute, oder fragen Sie Eva Experte im Chat."
    )
    audit(erika, "paid-session-ask-refused-de")
    assert world.count(PaidSession) == 0
    erika.get_by_role("radio", name="Pro Minute").check()
    erika.get_by_role("button", name="Anfrage senden").click()
    erika.locator("#session-confirm-form:not([hidden])").wait_for()
    assert text_of(erika, "#session-terms") == "1,50 CHF pro Minute"
    assert text_of(erika, "#session-billing").startswith("Sekundengenau abgerechnet")
    maximum = erika.get_by_label("Ihr Höchstbetrag")
    assert maximum.input_value() == "22,50"
    maximum.fill("1")
    maximum.press("Enter")
    erika.locator("#session-maximum-error").filter(
        has_text="Bitte geben Sie mindestens 1,50 CHF ein."
    ).wait_for()
    audit(erika, "paid-session-proposal-de")
    erika.get_by_role("button", name="Ablehnen").click()
    erika.locator("#session-title").filter(has_text="hat nicht begonnen").wait_for()
    assert world.rows(PaidSession)[0].status == "cancelled"
    assert world.count(PaidSessionHold) == 0


def test_the_expert_proposes_in_the_portal_and_the_customer_answers_on_the_page(
    portal, world, customer_assistant, customer_page, staff_page
):
    customer = world.customer()
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_until(lambda: client.get("/api/live").json()["state"] == "connected")
        started = client.post(f"/api/experts/{eva.expert_id}/prechat", json={"text": "Hello"})
        assert started.status_code == 201, started.text
        conversation_id = started.json()["id"]
    erika = customer_page(assistant).page
    desk = staff_page(eva)
    desk.goto(f"{portal.url}/portal/chats/{conversation_id}?lang=en")
    desk.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    panel = desk.get_by_test_id("paid-session")
    panel.get_by_role("button", name="Propose").click()

    # The customer reads the expert's terms and confirms the offered maximum.
    erika.locator("#session-title").filter(
        has_text="Eva Experte proposes a paid session"
    ).wait_for()
    assert erika.get_by_label("Your maximum amount").input_value() == "22.50"
    erika.get_by_role("button", name="Confirm and start").click()
    erika.locator("#session-title").filter(has_text="is running").wait_for()
    panel.get_by_test_id("paid-session-meter").wait_for()
    audit(desk, "expert-meter-running-en")

    # The expert pauses; the customer sees who paused, and is asked before it goes on.
    panel.get_by_role("button", name="Pause").click()
    erika.locator("#session-title").filter(
        has_text="Eva Experte has paused the session."
    ).wait_for()
    assert erika.locator("#session-resume-question").is_hidden()
    panel.get_by_role("button", name="Ask the customer to resume").click()
    question = erika.locator("#session-resume-question")
    question.filter(has_text="Eva Experte would like to go on.").wait_for()
    audit(erika, "paid-session-resume-question-en")
    erika.get_by_role("button", name="Resume").click()
    erika.locator("#session-title").filter(has_text="is running").wait_for()

    # The expert ends it and waives part; the customer's summary says so.
    panel.get_by_test_id("paid-session-pause-button").wait_for()
    # A cent is only waived of a session that has cost at least one (a quick machine may
    # have billed no second yet).
    amount = panel.get_by_test_id("paid-session-amount")
    wait_until(lambda: any(digit in "123456789" for digit in amount.inner_text()), timeout=30)
    desk.get_by_label("Waive (in CHF, optional)").fill("0.01")
    panel.get_by_role("button", name="End the session").click()
    erika.locator("#session-summary:not([hidden])").wait_for()
    waived = erika.locator("#session-summary-rows [data-row='waived'] dd").inner_text()
    assert waived.translate(NBSP) == "CHF 0.01"
    audit(erika, "paid-session-ended-by-expert-en")
    assert world.rows(PaidSession)[0].waived == 1
