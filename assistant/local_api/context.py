"""Everything the local API's routes work with, made once at start and handed in.

Tests build one with their own data directory, runner and quick links, and get the real
app around it; nothing here reads globals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.knowledge import KnowledgeClient
from assistant.quicklinks import QuickLinks
from assistant.runs import RunBoard
from assistant.settings import SettingsStore

if TYPE_CHECKING:
    from assistant.escalation.desk import LiveDesk
    from assistant.history import HistoryStore
    from assistant.premium.access import PremiumAccess
    from assistant.provider.service import ProviderProfiles

MODES = ("window", "browser", "headless")


class Indicator:
    """No indicator window (browser and headless mode): nothing to show, nothing to mask.
    `assistant.indicator.IndicatorWindow` is the real one."""

    def show(self, sharing: bool) -> None:
        pass

    def masked_rects(self) -> list[tuple[int, int, int, int]]:
        return []


@dataclass
class AssistantContext:
    secret: str
    port: int
    mode: str
    language: str
    settings: SettingsStore
    board: RunBoard
    history_path: Path
    quick_links: QuickLinks
    downloads_dir: Path
    premium: PremiumAccess
    """What premium allows right now (the real gate): premium checks run and show only
    when their feature is unlocked; locked ones only say what they would show."""
    provider: ProviderProfiles
    """The provider's signed profile: what the checks test against, the hotline number."""
    request_quit: Callable[[], None] = lambda: None
    """Stops the whole assistant (closes the window, ends the server)."""
    read_window_text: Callable[[str], str | None] | None = None
    """Reads an element's text from the real window's page (window mode only)."""
    bring_forward: Callable[[], None] = lambda: None
    """Shows the window again when it is minimised (window mode; elsewhere nothing)."""
    indicator: Indicator = field(default_factory=lambda: Indicator())
    """The sharing indicator: a window of its own in window mode; elsewhere the page's
    "sharing now" card is all there is."""
    screen_engine: object = None
    """The capture engine (`assistant.screen`); None: imported when first needed."""
    live: LiveDesk | None = None
    """Live help (chat, requests for a report); made with the local app when not given."""
    knowledge: KnowledgeClient = field(default_factory=KnowledgeClient)
    """Help articles beside a finding, from the server in `premium.server_url`."""
    _history: HistoryStore | None = field(default=None, repr=False)
    _history_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def history(self) -> HistoryStore:
        # Opened on first use: SQLAlchemy's import is not needed to show the first result.
        with self._history_lock:
            if self._history is None:
                from assistant.history import HistoryStore

                self._history = HistoryStore(self.history_path)
            return self._history

    def close(self) -> None:
        self.premium.close()  # a code's unlock ends with the app
        self.knowledge.close()
        with self._history_lock:
            if self._history is not None:
                self._history.close()
