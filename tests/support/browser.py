"""Browser contexts for the web tests: one window size and language everywhere, and a
watch on what the pages' Content-Security-Policy refused. A script or style the policy
blocks leaves a page half-working without making any click fail, so every context
checks, when it is closed, that nothing was refused."""

from __future__ import annotations

VIEWPORT = {"width": 1280, "height": 800}
REFUSAL = "Content Security Policy"


class BrowserContexts:
    """`new()` opens a context; `close_all()` closes them and fails on any refusal."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.contexts: list = []
        self.refused: list[str] = []

    def new(self, **options):
        context = self.browser.new_context(viewport=VIEWPORT, locale="en-US", **options)
        context.on("console", self._note)
        self.contexts.append(context)
        return context

    def _note(self, message) -> None:
        if REFUSAL in message.text:
            self.refused.append(message.text)

    def close_all(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()
        assert self.refused == [], f"the page's Content-Security-Policy refused: {self.refused}"
