"""The customer's view, in Debian's Chromium against the real `isp-assistant --headless`:
the dashboard fills as checks finish, findings open with their fix, the language switches,
reports are saved, and the history draws its charts."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from assistant.history import HistoryStore, Metrics
from tests.assistant.support import FREE_CHECKS, PREMIUM_CHECKS, wait_until
from tests.support.browser import audit, choose_language
from tests.support.system import require_program

pytestmark = pytest.mark.browser

TOTAL = len(FREE_CHECKS)
ALL_DONE = f"{TOTAL} of {TOTAL} checks done"


def open_assistant(page, assistant) -> None:
    page.goto(assistant.url)
    assert page.url == assistant.base_url + "/"  # the secret left the address bar
    page.wait_for_selector("#progress-text:has-text('checks done')")


def wait_until_finished(page, text: str = ALL_DONE) -> None:
    page.wait_for_selector(f"#progress-text:has-text('{text}')")
    page.wait_for_selector("body[data-run='finished']")


def light_shape(page) -> str:
    """The shape of the one icon shown in the traffic light's word (none while hidden)."""
    shown = page.locator("#light-word svg:visible")
    assert shown.count() == 1, "the traffic light's word shows exactly one icon"
    box = shown.bounding_box()
    assert box["width"] >= 12 and box["height"] >= 12  # large enough to tell apart
    return shown.get_attribute("data-shape")


def test_the_dashboard_fills_as_the_checks_finish(page, shared_assistant, output_dir):
    open_assistant(page, shared_assistant)
    wait_until_finished(page)
    # Watch the progress line while the checks run again.
    page.evaluate(
        """() => {
            window.seen = [];
            const target = document.getElementById("progress-text");
            new MutationObserver(() => window.seen.push(target.textContent))
                .observe(target, { childList: true, characterData: true, subtree: true });
        }"""
    )
    page.click("#rerun")
    # The page says "finished" from the first run until the new run's first event
    # arrives: wait for the progress line to move before waiting for the end.
    # (Polled from here: the page's CSP forbids wait_for_function's string evaluation.)
    for _ in range(300):
        if page.evaluate("() => window.seen.length"):
            break
        page.wait_for_timeout(100)
    wait_until_finished(page)
    seen = [int(re.match(r"(\d+) of", text).group(1)) for text in page.evaluate("window.seen")]
    assert seen[0] < TOTAL and seen[-1] == TOTAL
    assert seen == sorted(seen) and len(set(seen)) > 2
    assert page.get_attribute("#overall", "data-light") == "critical"
    # Said in words a customer understands, with a shape beside the colour (WCAG 1.4.1).
    assert page.inner_text("#light-word") == "Problems found"
    assert light_shape(page) == "cross"
    assert page.inner_text("#overall-title") == "We found a problem"
    # The internet answers while the router does not: one sentence says what that means.
    combined = page.locator("#overall-combined li")
    assert combined.count() == 1
    assert combined.inner_text().startswith("The internet works through your router even")
    assert "restart the router" in combined.inner_text()
    for check_id in FREE_CHECKS:
        status = page.get_attribute(f"[data-check='{check_id}']", "data-status")
        assert status in ("ok", "info", "warning", "critical", "unknown", "timed_out")
    for area in ("internet", "email", "computer", "security"):
        assert page.is_visible(f"#area-{area} h2")
    page.screenshot(path=output_dir / "assistant-dashboard-en.png", full_page=True)


def test_premium_checks_are_locked_and_say_how_to_unlock(page, shared_assistant):
    open_assistant(page, shared_assistant)
    wait_until_finished(page)
    for check_id in PREMIUM_CHECKS:
        row = page.locator(f"[data-check='{check_id}']")
        assert row.get_attribute("data-status") == "locked"
        assert "What it shows:" in row.inner_text()
        assert row.locator("button").count() == 0  # nothing to open
    note = page.inner_text("#area-computer .unlock-note")
    assert "Ask your hotline for a one-time code, or subscribe to Premium." in note


def fake_settings_tool(folder: Path) -> Path:
    """A stand-in for GNOME's settings, recording what it was asked to open."""
    record = folder / "opened.txt"
    tool = folder / "gnome-control-center"
    tool.write_text(f'#!/bin/sh\necho "$@" > "{record}"\n', encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return record


def test_a_finding_opens_with_its_explanation_steps_and_settings_button(
    page, start_assistant, tmp_path, output_dir
):
    tools = tmp_path / "tools"
    tools.mkdir()
    record = fake_settings_tool(tools)
    assistant = start_assistant(PATH=f"{tools}{os.pathsep}{os.environ['PATH']}")
    open_assistant(page, assistant)
    wait_until_finished(page)

    toggle = page.locator("[data-check='internet.gateway'] button.check-row")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")  # keyboard works as well as the mouse

    assert toggle.get_attribute("aria-expanded") == "true"
    details = page.locator("#details-internet-gateway")
    assert details.is_visible()
    text = details.text_content()
    assert "Your router does not answer" in text
    assert "What this means" in text and "What you can do" in text
    assert details.locator("ol li").count() >= 2
    page.screenshot(path=output_dir / "assistant-finding-open.png", full_page=True)

    details.get_by_role("button", name="Open network settings").click()
    page.wait_for_selector("#details-internet-gateway .link-note:has-text('opening')")
    assert wait_until(lambda: record.exists() and record.read_text()).strip() == "network"


def test_the_language_switches_to_german_and_stays(page, start_assistant, output_dir):
    assistant = start_assistant()
    open_assistant(page, assistant)
    wait_until_finished(page)

    choose_language(page, "de")
    wait_until_finished(page, f"{TOTAL} von {TOTAL} Prüfungen erledigt")

    assert page.inner_text(".tab[data-view='dashboard']") == "Übersicht"
    assert page.inner_text("#overall-title") == "Wir haben ein Problem gefunden"
    assert page.inner_text("#light-word") == "Probleme gefunden"
    assert light_shape(page) == "cross"
    gateway = page.inner_text("[data-check='internet.gateway']")
    assert "Ihr Router antwortet nicht" in gateway  # findings are checked again in German
    assert "Das Internet funktioniert über Ihren Router" in page.inner_text("#overall-combined")
    assert "Fragen Sie Ihre Hotline" in page.inner_text("#area-computer .unlock-note")
    page.screenshot(path=output_dir / "assistant-dashboard-de.png", full_page=True)

    page.goto(assistant.base_url + "/")  # a reload keeps the choice
    assert page.get_attribute("html", "lang") == "de"


def test_the_report_is_saved_as_html_and_pdf_with_the_report_content(
    page, shared_assistant, tmp_path
):
    open_assistant(page, shared_assistant)
    wait_until_finished(page)
    report = page.request.get(shared_assistant.base_url + "/api/report").json()

    with page.expect_download() as html_download:
        page.click("#save-html")
    html_path = tmp_path / html_download.value.suggested_filename
    html_download.value.save_as(html_path)
    with page.expect_download() as pdf_download:
        page.click("#save-pdf")
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)

    assert html_path.suffix == ".html" and pdf_path.suffix == ".pdf"
    html = unescape(html_path.read_text(encoding="utf-8"))
    pdftotext = require_program("pdftotext", "poppler-utils")
    pdf_text = subprocess.run(
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert report["report_id"] in html and report["report_id"] in pdf_text
    for check in report["checks"]:
        assert f'data-check="{check["check_id"]}"' in html
        assert check["title"] in pdf_text
        for finding in check["findings"]:
            assert finding["title"] in html
            assert " ".join(finding["title"].split()) in " ".join(pdf_text.split())
    for premium in PREMIUM_CHECKS:
        assert premium not in html


def seed_history(data_dir: Path, count: int) -> None:
    store = HistoryStore(data_dir / "history.db")
    start = datetime.now(UTC) - timedelta(days=count)
    for day in range(count):
        store.add(
            report_json="{}",
            overall="ok",
            metrics=Metrics(
                cpu_percent=10.0 + day,
                memory_percent=40.0 + day,
                disk_percent=60.0,
                latency_ms=15.0 + 2 * day,
            ),
            created_at=start + timedelta(days=day),
        )
    store.close()


def chart_data(page, metric: str) -> list:
    return page.evaluate(
        """(metric) => {
            const canvas = document.querySelector(`canvas[data-metric="${metric}"]`);
            const chart = window.Chart && Chart.getChart(canvas);
            return chart ? chart.data.datasets[0].data : null;
        }""",
        metric,
    )


def test_the_history_charts_show_the_stored_reports(page, start_assistant, tmp_path, output_dir):
    data_dir = tmp_path / "with-history"
    data_dir.mkdir()
    seed_history(data_dir, 5)
    assistant = start_assistant(data_dir=data_dir)
    open_assistant(page, assistant)
    wait_until_finished(page)
    wait_until(
        lambda: len(page.request.get(assistant.base_url + "/api/history").json()["entries"]) == 6
    )

    page.get_by_role("button", name="History").click()
    # Polled from here: the page's CSP (rightly) refuses wait_for_function's eval.
    wait_until(lambda: chart_data(page, "latency_ms") is not None)

    latency = chart_data(page, "latency_ms")
    assert len(latency) == 6  # five stored reports and the one just made
    assert latency[:5] == [15.0, 17.0, 19.0, 21.0, 23.0]
    assert latency[5] is not None
    # Processor and memory come from premium checks: drawn empty, with the unlock note.
    assert chart_data(page, "cpu_percent") == [None] * 6
    assert page.is_visible("#chart-cpu + .chart-locked")
    assert not page.is_visible("#chart-latency + .chart-locked")
    assert page.inner_text("#history-count") == "Reports: 6"
    page.screenshot(path=output_dir / "assistant-history.png", full_page=True)


def sentences_of(text: str) -> set[str]:
    return {part.strip() for part in re.split(r"(?<=[.!?:])\s+|\n+", text) if part.strip()}


def test_a_check_that_could_not_run_says_why_once_and_what_to_do_when_opened(page, start_assistant):
    assistant = start_assistant(
        ISP_ASSISTANT_DNS_TEST_NAMES="[]",  # nothing to look up: unknown, nothing to do
        ISP_ASSISTANT_CHECK_TIMEOUTS='{"email.servers": 0.001}',  # cut at once
    )
    open_assistant(page, assistant)
    wait_until_finished(page)

    dns = page.locator("[data-check='internet.dns']")
    assert dns.get_attribute("data-status") == "unknown"
    assert "No names to look up are configured." in dns.inner_text()
    assert dns.locator("button").count() == 0  # the reason is all there is: nothing opens

    mail = page.locator("[data-check='email.servers']")
    assert mail.get_attribute("data-status") == "timed_out"
    mail.locator("button.check-row").click()
    assert "Check again in a moment" in page.inner_text("#details-email-servers")

    # No row says its summary again in what it shows when opened (a finding's heading,
    # which names the finding its paragraphs explain, is no repetition).
    for row in page.locator("li.check:has(button.check-row)").all():
        toggle = row.locator("button.check-row")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        summary = sentences_of(row.locator(".check-summary").inner_text())
        said = row.locator(".details p, .details li").all_inner_texts()
        details = set().union(*(sentences_of(text) for text in said))
        assert not summary & details, row.get_attribute("data-check")
    audit(page, "unknown-and-timed-out")
