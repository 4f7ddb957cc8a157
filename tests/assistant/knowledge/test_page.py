"""The customer opens a check with a problem and finds the ISP's published help article
right under the finding: its problem as a heading that opens symptoms and steps. A draft
for the same finding stays in the portal."""

from __future__ import annotations

import pytest

from tests.agent_portal.knowledge.conftest import write_article
from tests.assistant.premium.app.support import open_assistant
from tests.support.premium_portal import unreachable_url

pytestmark = pytest.mark.browser

CHECK = "internet.gateway"  # the test's router is a port where nothing listens


def problem_finding(assistant, check_id: str) -> dict:
    """The worst finding of a check in the assistant's finished run."""
    with assistant.client() as client:
        state = client.get("/api/state").json()
    check = next(check for check in state["checks"] if check["id"] == check_id)
    finding = check["findings"][0]
    assert finding["severity"] in ("warning", "critical"), check
    return finding


def test_a_published_article_shows_under_the_finding_and_a_draft_does_not(
    portal, db_session, author, start_assistant, narrow_page, output_dir, database_url
):
    page = narrow_page
    assistant = start_assistant(portal.url)
    open_assistant(page, assistant)
    finding = problem_finding(assistant, CHECK)
    write_article(
        db_session,
        author,
        problem="The router does not answer",
        symptoms="No web page loads.\nThe lights on the router are off or blink red.",
        solution=(
            "1. Check that the router is plugged in and switched on.\n"
            "2. Unplug it, wait 30 seconds, plug it in again.\n"
            "\n"
            "Still no lights? Call the hotline."
        ),
        finding_ids=[finding["id"]],
    )
    write_article(
        db_session,
        author,
        problem="Unfinished: router replacement",
        finding_ids=[finding["id"]],
        published=False,
    )

    row = page.locator(f"[data-check='{CHECK}'] button.check-row")
    row.click()
    articles = page.locator(f".articles[data-finding='{finding['id']}']")
    articles.and_(page.locator("[data-state='shown']")).wait_for()

    assert articles.get_by_role("heading", level=4).text_content() == "Articles that may help"
    toggle = articles.get_by_role("button", name="The router does not answer")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert articles.locator(".article-body").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    body = articles.locator(".article-body")
    assert body.is_visible()
    assert body.locator("ol > li").all_inner_texts() == [
        "Check that the router is plugged in and switched on.",
        "Unplug it, wait 30 seconds, plug it in again.",
    ]
    assert "The lights on the router are off or blink red." in body.inner_text()
    assert "Still no lights? Call the hotline." in body.inner_text()
    assert "Unfinished" not in page.locator("main").inner_text()
    database = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    page.screenshot(path=output_dir / f"knowledge-beside-finding-{database}.png", full_page=True)

    # Closed and opened again: the articles are still there, asked for once.
    row.click()
    row.click()
    assert articles.get_by_role("button", name="The router does not answer").is_visible()


def test_a_server_that_is_down_costs_one_quiet_line_and_the_finding_stays(
    start_assistant, narrow_page
):
    page = narrow_page
    open_assistant(page, start_assistant(unreachable_url()))
    page.locator(f"[data-check='{CHECK}'] button.check-row").click()
    articles = page.locator(".articles[data-state='unavailable']")
    assert articles.inner_text() == "Help articles could not be loaded right now."
    details = page.locator("#details-internet-gateway")
    assert details.locator("ol li").count() >= 2  # the finding's own steps, as always
    assert details.get_by_role("button", name="Open network settings").is_visible()
