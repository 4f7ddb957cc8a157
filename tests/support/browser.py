"""Browser contexts for the web tests: one window size and language everywhere, and a watch
on what a person (or a screen reader) would notice but no click fails on.

Every context of a test
- fails the test on any console error and any uncaught error of a page's script (a script
  or style the Content-Security-Policy blocks, among them: it leaves a page half-working
  without making any click fail);
- runs axe-core (WCAG 2.0/2.1, levels A and AA) on each page it loads, on demand through
  `audit(page, label)` at the states a test cares about, and on every page still open when
  the test's body ends, and fails with a readable list of the violations;
- saves a screenshot of each of those states under test-output/pages/<test>/ (the whole
  page where the test audits, the window's view on each load and at the end).

The end-of-test check runs from a hook in tests/conftest.py (`finish_open_contexts`), before
the fixtures stop the servers, so a page that loses its server afterwards is not blamed."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT

VIEWPORT = {"width": 1280, "height": 800}
REFUSAL = "Content Security Policy"
# Chromium logs every 4xx answer as a console error. To a page or an API call a refusal is
# an answer the page shows and the test asserts on (a wrong password, a used code); to a
# script, a style, an image or an icon it is a broken page, and fails.
ANSWERED_4XX = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")
ANSWER_KINDS = {"document", "fetch", "xhr", "eventsource"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Experimental in axe-core, so not run by tag: the accessible name of a control must contain
# its visible words (WCAG 2.5.3), or speech input cannot reach it.
AXE_EXTRA_RULES = ["label-content-name-mismatch"]
PAGES_DIR = Path(__file__).resolve().parents[2] / "test-output" / "pages"
QUIET_SHOT_MS = 3_000  # the picture taken on a page's load, while the test goes on

_OPEN: list[BrowserContexts] = []
_SHOT_NUMBERS: dict[str, itertools.count] = {}  # per test, shared by its contexts

# axe runs one at a time per page: a run started while another is busy waits for it.
_RUN_AXE = """async ({ tags, extraRules }) => {
  const rules = Object.fromEntries(extraRules.map((id) => [id, { enabled: true }]));
  const options = { runOnly: { type: "tag", values: tags }, rules, resultTypes: ["violations"] };
  const previous = window.__axeRunning || Promise.resolve();
  const run = previous.catch(() => null).then(() => axe.run(document, options));
  window.__axeRunning = run;
  const results = await run;
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]
    label: str
    url: str

    def __str__(self) -> str:
        where = f"{self.label} {self.url}"
        return f"{where}: [{self.impact}] {self.rule}: {self.help} -> {self.targets}"


@dataclass
class Findings:
    """What went wrong on the pages of one set of contexts, said in full at the end."""

    console: list[tuple[str, str]] = field(default_factory=list)  # (text, resource address)
    answers: set[str] = field(default_factory=set)  # addresses of documents and API calls
    violations: list[Violation] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        parts = []
        console = [
            text
            for text, url in self.console
            if not (url in self.answers and ANSWERED_4XX.search(text))
        ]
        if console:
            parts.append("console errors and uncaught page errors:\n  " + "\n  ".join(console))
        if self.violations:
            # The same fault seen on load and again at the end is said once.
            unique = {(v.rule, tuple(v.targets), v.url): v for v in self.violations}
            lines = "\n  ".join(str(v) for v in unique.values())
            parts.append(f"accessibility violations (axe-core, {', '.join(AXE_TAGS)}):\n  {lines}")
        if self.failures:
            parts.append("axe-core could not run:\n  " + "\n  ".join(self.failures))
        return "\n".join(parts)


def _test_name() -> str:
    current = os.environ.get("PYTEST_CURRENT_TEST", "outside-a-test").split(" ")[0]
    return re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", current.split("::", 1)[-1])[:120]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "page"


def _expected_noise(page, error: Exception) -> bool:
    """A page that navigates on or closes while axe looks at it is checked on its next load
    (or not at all, when the test is over): that is no failure of the page."""
    text = str(error)
    return page.is_closed() or any(
        sign in text
        for sign in ("Execution context was destroyed", "navigat", "Target page, context")
    )


class BrowserContexts:
    """`new()` opens a context; `check()` fails on anything the pages showed wrong;
    `close_all()` checks (unless done already) and closes them."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.contexts: list = []
        self.findings = Findings()
        self.checked = False
        self.test_name = _test_name()
        if self.test_name not in _SHOT_NUMBERS:  # the first context of this test: start afresh
            _SHOT_NUMBERS[self.test_name] = itertools.count(1)
            shutil.rmtree(PAGES_DIR / self.test_name, ignore_errors=True)
        self._shots = _SHOT_NUMBERS[self.test_name]
        _OPEN.append(self)

    def new(self, **options):
        options = {"viewport": VIEWPORT, "locale": "en-US", **options}
        context = self.browser.new_context(**options)
        # axe-core comes with every document of the context, as the page loads (not subject
        # to its Content-Security-Policy): handing its 570 kB to each page when it is
        # audited cost about a quarter of a second each time, and the tests audit hundreds.
        context.add_init_script(AXE_SCRIPT)
        context.on("console", self._note_console)
        context.on("page", self._watch)
        context.on("response", self._note_response)
        self.contexts.append(context)
        return context

    # ---- watching ---------------------------------------------------------------------
    def _watch(self, page) -> None:
        page.on("pageerror", lambda error: self._note(f"uncaught in {page.url}: {error}"))
        page.on("load", lambda: self._audit_quietly(page, "loaded"))

    def _note_response(self, response) -> None:
        if response.request.resource_type in ANSWER_KINDS:
            self.findings.answers.add(response.url)

    def _note_console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        kind = "refused by the Content-Security-Policy" if REFUSAL in message.text else "error"
        self._note(f"console {kind} ({where}): {message.text}", where)

    def _note(self, text: str, where: str = "") -> None:
        if not self.checked:
            self.findings.console.append((text, where))

    def _audit_quietly(self, page, label: str) -> None:
        """From the page's load event: what is found is reported when the test ends."""
        if self.checked or page.url.startswith(("about:", "data:", "chrome-error:")):
            return
        try:
            self.findings.violations.extend(self._axe(page, label))
        except Exception as error:  # noqa: BLE001 (reported below unless it is navigation)
            if not _expected_noise(page, error):
                self.findings.failures.append(f"{page.url}: {error}")
            return
        # The test goes on meanwhile: a page that navigates away under the camera leaves no
        # picture, which says nothing about the page. Playwright would wait its full 30 s
        # for such a picture; a page that stays is taken in well under a second.
        with contextlib.suppress(Exception):
            self._screenshot(page, label, timeout=QUIET_SHOT_MS, full_page=False)

    # ---- checking ---------------------------------------------------------------------
    def _axe(self, page, label: str) -> list[Violation]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE_SCRIPT)  # a page opened before its context had it
        found = page.evaluate(_RUN_AXE, {"tags": AXE_TAGS, "extraRules": AXE_EXTRA_RULES})
        return [
            Violation(v["id"], v["impact"], v["help"], v["targets"], label, page.url) for v in found
        ]

    def _screenshot(
        self, page, label: str, timeout: float | None = None, full_page: bool = True
    ) -> Path:
        """The whole page at the states a test audits; what the window shows on each load
        and at the end (a whole tall page costs Chromium several times as much)."""
        path = PAGES_DIR / self.test_name / f"{next(self._shots):02d}-{_slug(label)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=full_page, timeout=timeout)
        return path

    def audit(self, page, label: str) -> None:
        """axe-core and a screenshot now, at a state the test cares about; fails at once."""
        violations = self._axe(page, label)
        self._screenshot(page, label)
        assert not violations, "accessibility violations (axe-core):\n  " + "\n  ".join(
            str(v) for v in violations
        )

    def check(self, expected_errors: tuple[str, ...] = ()) -> None:
        """Every open page once more as it is now; then fails on anything found but the
        console errors the test expects (patterns, from its `expected_console_errors`)."""
        if self.checked:
            return
        self.findings.console = [
            (text, url)
            for text, url in self.findings.console
            if not any(re.search(pattern, text) for pattern in expected_errors)
        ]
        for context in self.contexts:
            for page in context.pages:
                self._audit_quietly(page, "at-the-end")
        self.checked = True
        report = self.findings.report()
        assert not report, report

    def close_all(self) -> None:
        try:
            self.check()
        finally:
            for context in self.contexts:
                context.close()
            self.contexts.clear()
            if self in _OPEN:
                _OPEN.remove(self)


def audit(page, label: str) -> None:
    """Runs axe-core on `page` now and saves a screenshot named `label`; fails at once."""
    for contexts in _OPEN:
        if any(page.context is context for context in contexts.contexts):
            contexts.audit(page, label)
            return
    raise LookupError("the page was not opened through BrowserContexts")


def choose_language(page, language: str) -> None:
    """Picks `language` in the page's language menu and waits for the page it reloads to.
    (Waiting for the load state alone returns at once, while the old page is still shown,
    and the next click can land on it as it goes.)"""
    page.select_option("#language", language)
    page.wait_for_selector(f"html[lang='{language}']")


def finish_open_contexts(test_passed: bool, expected_errors: tuple[str, ...] = ()) -> None:
    """At the end of a test's body: check every open context (after a failure only the
    screenshots are taken: the test's own failure says more)."""
    for contexts in list(_OPEN):
        if test_passed:
            contexts.check(expected_errors)
            continue
        contexts.checked = True
        if contexts.findings.console:  # may say why the test failed: printed into its report
            print(contexts.findings.report())
        for context in contexts.contexts:
            for page in context.pages:
                with contextlib.suppress(Exception):  # a page that cannot be shown shows nothing
                    contexts._screenshot(page, "after-the-failure")
