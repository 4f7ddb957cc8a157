"""The assistant's page by keyboard, in German and English: "Check again" keeps the focus
and the finding the customer has open stays open, and every focus ring on the page stands
out from what is behind it (WCAG 1.4.11: 3:1)."""

from __future__ import annotations

import json

import pytest

from tests.assistant.support import FREE_CHECKS
from tests.support.browser import audit
from tests.support.focus import rings_by_tab, weak_rings

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", ["en", "de"])]

TOTAL = len(FREE_CHECKS)
DONE = {"en": f"{TOTAL} of {TOTAL} checks done", "de": f"{TOTAL} von {TOTAL} Prüfungen erledigt"}


def open_finished(page, assistant, language: str) -> None:
    page.goto(assistant.url)
    page.wait_for_selector(f"#progress-text:has-text('{DONE[language]}')")
    page.wait_for_selector("body[data-run='finished']")


def events_received(page) -> list[tuple]:
    """The run's events as the page's event stream receives them (name, run, finished)."""
    received = []

    def keep(message: dict) -> None:
        run = json.loads(message["data"] or "{}").get("run") or {}
        received.append((message["eventName"], run.get("number"), run.get("finished")))

    devtools = page.context.new_cdp_session(page)
    devtools.on("Network.eventSourceMessageReceived", keep)
    devtools.send("Network.enable")
    return received


def stuck(assistant, seen: list[str], received: list[tuple]) -> str:
    """What a run that never ends on the page looked like from both sides."""
    with assistant.client() as client:
        run = client.get("/api/state").json()["run"]
    return (
        f"the page went {seen}; its events (name, run, finished): {received}; the assistant's "
        f"run {run['number']} finished: {run['finished']}; log:\n{assistant.errors()[-4000:]}"
    )


def test_check_again_keeps_the_focus_and_the_open_finding(page, start_assistant, language):
    assistant = start_assistant("--headless", "--lang", language)
    open_finished(page, assistant, language)
    toggle = page.locator("[data-check='internet.gateway'] button.check-row")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"

    page.keyboard.press("Shift+Tab")
    while page.evaluate("document.activeElement.id") != "rerun":  # back up to "Check again"
        page.keyboard.press("Shift+Tab")
    page.evaluate(
        """() => {
            window.focusLeft = [];
            document.addEventListener("focusout", (event) => {
                if (!event.relatedTarget) window.focusLeft.push(event.target.id);
            });
            window.runStates = [];
            // Whether "Check again" was still unavailable at each Enter, read before the
            // page's own handler: only a press on an available button may start a run.
            window.pressedWhileRunning = [];
            document.addEventListener("keydown", (event) => {
                if (event.key !== "Enter") return;
                const rerun = document.getElementById("rerun");
                window.pressedWhileRunning.push(rerun.getAttribute("aria-disabled") === "true");
            }, true);
            new MutationObserver(() => {
                const now = document.body.dataset.run;
                if (window.runStates.slice(-1)[0] !== now) window.runStates.push(now);
            })
                .observe(document.body, { attributes: true, attributeFilter: ["data-run"] });
        }"""
    )
    started = []
    page.on("request", lambda r: started.append(r) if r.url.endswith("/api/run") else None)
    received = events_received(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # pressed again while it runs: starts nothing, keeps focus
    # Polled from here: the page's CSP forbids wait_for_function's string evaluation.
    for _ in range(600):
        seen = page.evaluate("window.runStates")
        if "running" in seen and page.evaluate("document.body.dataset.run") == "finished":
            break
        page.wait_for_timeout(100)
    seen = page.evaluate("window.runStates")  # the run may have finished since the last read
    assert seen[0] == "running" and seen[-1] == "finished", stuck(assistant, seen, received)
    pressed_while_running = page.evaluate("window.pressedWhileRunning")
    assert pressed_while_running[0] is False
    # A busy machine may finish the run before the second press; one while it ran, never.
    assert len(started) == pressed_while_running.count(False)

    assert page.evaluate("document.activeElement.id") == "rerun"
    assert page.evaluate("window.focusLeft") == []  # never dropped to the page meanwhile
    toggle = page.locator("[data-check='internet.gateway'] button.check-row")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#details-internet-gateway").is_visible()
    audit(page, f"after-check-again-{language}")


def test_every_focus_ring_stands_out(page, start_assistant, language):
    assistant = start_assistant("--headless", "--lang", language)
    open_finished(page, assistant, language)
    page.locator("[data-check='internet.gateway'] button.check-row").click()
    rings = rings_by_tab(page)
    assert len(rings) > 10  # tabs, language, actions, findings and their buttons
    assert weak_rings(rings) == []
    for view in ("history", "premium", "cleanup", "help"):
        page.click(f".tab[data-view='{view}']")
        page.wait_for_selector(f"#view-{view}:not([hidden])")
        audit(page, f"{view}-{language}")
        assert weak_rings(rings_by_tab(page)) == []
