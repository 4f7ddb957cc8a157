"""The watch every browser test keeps, tried on pages made to fail it: a console error, an
uncaught script error, a missing image, an accessibility fault each fail the test with a
readable line, under a strict Content-Security-Policy like the product's pages have; a
refusal answered to the page itself does not; every loaded page leaves a screenshot."""

from __future__ import annotations

import pytest

from tests.support.browser import PAGES_DIR, BrowserContexts, audit

pytestmark = pytest.mark.browser

SITE = "http://probe.test"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"
CLEAN = (
    "<!doctype html><html lang='en'><head><title>Probe</title></head>"
    "<body><main><h1>Probe</h1>{body}</main>{script}</body></html>"
)


def serve(context, pages: dict[str, tuple[int, str, str]]) -> None:
    """`pages`: path -> (status, content type, body), each with the product's policy."""

    def answer(route) -> None:
        path = route.request.url.removeprefix(SITE)
        status, kind, body = pages.get(path, (404, "text/plain", "not here"))
        route.fulfill(
            status=status, content_type=kind, body=body, headers={"Content-Security-Policy": CSP}
        )

    context.route(f"{SITE}/**", answer)


def page_with(browser, body: str = "", script: str = "", **more):
    contexts = BrowserContexts(browser)
    context = contexts.new()
    tag = "<script src='/page.js'></script>" if script else ""
    serve(
        context,
        {
            "/": (200, "text/html", CLEAN.format(body=body, script=tag)),
            "/page.js": (200, "text/javascript", script),
            **more,
        },
    )
    page = context.new_page()
    page.goto(f"{SITE}/")
    return contexts, page


def failure_of(contexts: BrowserContexts) -> str:
    with pytest.raises(AssertionError) as failed:
        contexts.close_all()
    return str(failed.value)


def test_a_clean_page_passes_and_leaves_a_screenshot(browser):
    contexts, page = page_with(browser, body="<p>All fine.</p>")
    folder = PAGES_DIR / contexts.test_name
    contexts.close_all()
    assert [shot.name for shot in sorted(folder.glob("*.png"))][-2:] == [
        "01-loaded.png",
        "02-at-the-end.png",
    ]


def test_a_console_error_fails(browser):
    contexts, page = page_with(browser, script="console.error('the chart did not load');")
    assert "the chart did not load" in failure_of(contexts)


def test_an_uncaught_error_fails(browser):
    contexts, page = page_with(browser, script="undefinedFunction();")
    assert "undefinedFunction is not defined" in failure_of(contexts)


def test_what_the_policy_refuses_fails(browser):
    contexts, page = page_with(browser, body="<script>document.title = 'x';</script>")
    assert "refused by the Content-Security-Policy" in failure_of(contexts)


def test_a_missing_image_fails_but_a_refusal_answered_to_the_page_does_not(browser):
    contexts, page = page_with(
        browser,
        body="<p><a href='/form'>Send</a></p>",
        **{"/form": (401, "text/html", CLEAN.format(body="<p>Wrong password.</p>", script=""))},
    )
    page.click("text=Send")
    page.wait_for_url(f"{SITE}/form")
    contexts.close_all()  # the 401 page is an answer the person reads

    contexts, page = page_with(browser, body="<img src='/missing.png' alt='Logo'>")
    assert "missing.png" in failure_of(contexts)


def test_an_accessibility_fault_fails_with_its_rule_and_element(browser):
    contexts, page = page_with(browser, body="<button id='unnamed'></button>")
    failure = failure_of(contexts)
    assert "button-name" in failure and "#unnamed" in failure


def test_a_name_that_hides_the_visible_words_fails(browser):
    button = "<button aria-label='Diagnose von Laptop anfordern'>Diagnose anfordern</button>"
    contexts, page = page_with(browser, body=button)
    assert "label-content-name-mismatch" in failure_of(contexts)


def test_an_audit_at_a_later_state_fails_at_once(browser):
    contexts, page = page_with(browser, body="<p id='later'></p>")
    audit(page, "before")
    page.evaluate("() => { document.getElementById('later').innerHTML = '<img src=x.png>'; }")
    with pytest.raises(AssertionError, match="image-alt"):
        audit(page, "after")
    contexts.checked = True  # said already
    contexts.close_all()
