"""An agent's way through the knowledge base in Debian's Chromium: write an article in the
editor (a mistake first), publish it, and find it by search; then the same pages in
German. And deleting a draft, which asks first. Screenshots go to test-output/."""

from __future__ import annotations

import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.knowledge import seed
from tests.agent_portal.knowledge.conftest import create_staff, write_article
from tests.support.portal_data import new_portal_session

pytestmark = pytest.mark.browser

SOLUTION = (
    "1. Open the printer's menu and choose Wi-Fi setup.\n"
    "2. Pick the 2.4 GHz network: many printers cannot use 5 GHz.\n"
    "3. Print a network report to check the connection."
)


def log_in(page, portal, db_session) -> None:
    """A portal session for a new agent, handed to the browser as its cookie."""
    agent = create_staff(db_session, "anna.berger", "agent")
    session = new_portal_session(db_session, agent)
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": session.token, "url": portal.url, "httpOnly": True}]
    )


@pytest.fixture
def starter_articles(portal_app, db_session) -> None:
    """The shipped articles, stored before the server starts: SQLite once refused these
    writes at once with "database is locked" when they met the server's first background
    round, which is not what this test is about."""
    seed.load_starter_articles(db_session=db_session, author=None)
    db_session.commit()


def test_agent_writes_publishes_and_finds_an_article(
    starter_articles, portal, db_session, page, output_dir, database_url
):
    log_in(page, portal, db_session)
    shots = database_url.startswith("sqlite")  # one set of pictures is enough
    page.set_default_timeout(30_000)

    page.goto(f"{portal.url}/portal/knowledge?lang=en")
    assert page.locator("[data-testid=article]").count() == len(seed.STARTER_ARTICLES)
    page.click("text=New article")
    page.wait_for_url("**/portal/knowledge/new")

    # A first attempt without a problem: the form says what is missing and keeps the rest.
    page.fill("#symptoms", "The printer shows “no network” after the router was replaced.")
    page.fill("#solution", SOLUTION)
    page.fill("#tags", "printer, Wi-Fi")
    page.select_option("#language", "en")
    page.check("input[value='internet.wifi.band_2_4']")
    page.click("button:has-text('Save draft')")
    page.wait_for_load_state()
    assert page.inner_text("#problem-error") == "Describe the problem in one line."
    assert page.input_value("#solution") == SOLUTION
    assert page.is_checked("input[value='internet.wifi.band_2_4']")
    _assert_fits_the_window(page)
    if shots:
        page.screenshot(path=output_dir / "knowledge-editor-error.png", full_page=True)

    page.fill("#problem", "The printer drops off the Wi-Fi after a router change")
    page.click("button:has-text('Save draft')")
    page.wait_for_url("**/portal/knowledge/*?done=created")
    assert page.inner_text("[data-testid=status]") == "Draft"
    assert "saved as a draft" in page.inner_text("p.notice")

    page.click("button:has-text('Publish')")
    page.wait_for_url("**?done=published")
    assert page.inner_text("[data-testid=status]") == "Published"
    assert page.inner_text("[data-testid=solution]") == SOLUTION
    assert "Connected on the 2.4 GHz band" in page.inner_text("[data-testid=findings]")
    _assert_fits_the_window(page)
    if shots:
        page.screenshot(path=output_dir / "knowledge-article.png", full_page=True)

    page.click("text=← Knowledge base")
    page.fill("#q", "printer wifi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/knowledge?q=printer+wifi*")
    results = page.locator("[data-testid=article] h2")
    assert results.nth(0).inner_text() == "The printer drops off the Wi-Fi after a router change"
    _assert_fits_the_window(page)
    if shots:
        page.screenshot(path=output_dir / "knowledge-search.png", full_page=True)

    page.click("a[lang=de]")  # the language switch in the layout
    page.wait_for_url("**lang=de")
    assert "Artikel passt zu „printer wifi“" in page.inner_text("[data-testid=result-count]")
    page.fill("#q", "festplatte voll")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/knowledge?q=festplatte+voll*")
    assert results.nth(0).inner_text() == "Die Festplatte ist fast voll"
    page.locator("[data-testid=article] h2 a").nth(0).click()
    assert page.inner_text("h2#solution-heading") == "Lösung"
    _assert_fits_the_window(page)
    if shots:
        page.screenshot(path=output_dir / "knowledge-article-de.png", full_page=True)


def _assert_fits_the_window(page) -> None:
    # Nothing runs off the side at 1280x800: the page needs no horizontal scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


def test_agent_deletes_a_draft_after_confirming(portal, db_session, page, output_dir, database_url):
    log_in(page, portal, db_session)
    kept = write_article(db_session, None, problem="Router blinks red", published=False)
    draft = write_article(db_session, None, problem="Zebra modem hums at night", published=False)
    page.set_default_timeout(30_000)

    page.goto(f"{portal.url}/portal/knowledge/{draft.id}?lang=en")
    confirm = page.locator("button:has-text('Yes, delete the draft')")
    assert confirm.is_hidden()  # nothing is deleted by one click
    page.click("summary:has-text('Delete draft')")
    assert page.inner_text("[data-testid=delete-draft] p") == (
        "Delete this draft for good? It cannot be brought back."
    )
    _assert_fits_the_window(page)
    if database_url.startswith("sqlite"):  # one set of pictures is enough
        page.screenshot(path=output_dir / "knowledge-delete-draft.png", full_page=True)

    # Cancel leaves the draft where it was.
    page.click("[data-testid=delete-draft] a:has-text('Cancel')")
    assert confirm.is_hidden()
    assert page.inner_text("[data-testid=problem]") == "Zebra modem hums at night"

    page.click("summary:has-text('Delete draft')")
    confirm.click()
    page.wait_for_url("**/portal/knowledge?done=deleted")
    assert page.inner_text("p.notice") == "The draft has been deleted."
    titles = page.locator("[data-testid=article] h2")
    assert titles.all_inner_texts() == [kept.problem]
    page.fill("#q", "zebra")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/knowledge?q=zebra*")
    assert page.locator("[data-testid=article]").count() == 0
    assert "No article matches “zebra”." in page.inner_text("main")
