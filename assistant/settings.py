"""Where the assistant keeps its things, and the customer's settings (a small JSON file).

The data directory is the user's (platformdirs) unless `ISP_ASSISTANT_DATA_DIR` names
another one, so tests and portable installs keep everything in a folder of their own.
A damaged settings file never stops the assistant: it starts on defaults and the next
change writes a good file again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from isp_common.i18n import LANGUAGES

log = logging.getLogger(__name__)

APP_NAME = "isp-assistant"
DATA_DIR_VARIABLE = "ISP_ASSISTANT_DATA_DIR"
DOWNLOADS_DIR_VARIABLE = "ISP_ASSISTANT_DOWNLOADS_DIR"


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder for settings and history, created on first use."""
    configured = environ.get(DATA_DIR_VARIABLE)
    if configured:
        path = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def downloads_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where exported reports go when the window cannot offer a browser download."""
    configured = environ.get(DOWNLOADS_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_downloads_dir

    return Path(user_downloads_dir())


@dataclass(frozen=True)
class Settings:
    """What the customer chose. `None` means "not chosen": follow the system."""

    language: str | None = None
    server_url: str | None = None
    # The link to the ISP's server (device id, customer); empty until the device is linked.
    link: dict = field(default_factory=dict)
    # Windows whose titles contain one of these are blacked out while the screen is
    # shared; None: the assistant's defaults (`assistant.screen`'s privacy titles).
    privacy_titles: list[str] | None = None


PRIVACY_TITLES_MAX = 50
PRIVACY_TITLE_MAX_CHARS = 100


def check_privacy_titles(value: object) -> list[str] | None:
    """The list as it is kept: trimmed, without blanks or repeats; SettingsError for a
    list that cannot be one."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError("privacy_titles must be a list of texts")
    titles: list[str] = []
    for item in value:
        title = item.strip()
        if len(title) > PRIVACY_TITLE_MAX_CHARS:
            raise SettingsError(
                f"a privacy title has at most {PRIVACY_TITLE_MAX_CHARS} characters: {title[:20]}…"
            )
        if title and title.casefold() not in {t.casefold() for t in titles}:
            titles.append(title)
    if len(titles) > PRIVACY_TITLES_MAX:
        raise SettingsError(f"at most {PRIVACY_TITLES_MAX} privacy titles")
    return titles


class SettingsError(ValueError):
    """A setting the assistant cannot accept; the message says which and why."""


class SettingsStore:
    """Reads and writes `settings.json`; writes replace the file atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> Settings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as err:
            log.warning("settings file %s unreadable (%s); using defaults", self.path, err)
            return Settings()
        if not isinstance(raw, dict):
            return Settings()
        language = raw.get("language")
        server_url = raw.get("server_url")
        link = raw.get("link")
        try:
            privacy_titles = check_privacy_titles(raw.get("privacy_titles"))
        except SettingsError:
            privacy_titles = None
        return Settings(
            privacy_titles=privacy_titles,
            language=language if language in LANGUAGES else None,
            server_url=server_url if isinstance(server_url, str) and server_url else None,
            link=link if isinstance(link, dict) else {},
        )

    def update(self, **changes: object) -> Settings:
        """Validates and saves the given changes; returns the settings now in force."""
        if "language" in changes and changes["language"] not in (*LANGUAGES, None):
            raise SettingsError(f"language must be one of {', '.join(LANGUAGES)}")
        if "server_url" in changes:
            url = changes["server_url"]
            if url is not None and not (
                isinstance(url, str) and url.startswith(("https://", "http://"))
            ):
                raise SettingsError("server_url must start with https:// or http://")
        if "privacy_titles" in changes:
            changes["privacy_titles"] = check_privacy_titles(changes["privacy_titles"])
        unknown = set(changes) - {"language", "server_url", "link", "privacy_titles"}
        if unknown:
            raise SettingsError(f"unknown setting: {', '.join(sorted(unknown))}")
        with self._lock:
            settings = replace(self.load(), **changes)
            self._write(settings)
        return settings

    def _write(self, settings: Settings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(settings), indent=2, ensure_ascii=False)
        # Write beside the target and rename: a crash never leaves half a file behind.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
