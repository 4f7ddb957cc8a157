"""The assistant's log: what it logs (sign-ins, unlocks, offline codes, failures) goes to
`assistant.log` in the user's log folder (platformdirs: `~/.local/state/isp-assistant/log`
on Linux, `%LOCALAPPDATA%\\isp-assistant\\Logs` on Windows, `~/Library/Logs/isp-assistant`
on macOS), each line with its local time and offset, so the hotline can read afterwards
what happened on a customer's computer. The file is rotated at 1 MB, with three old ones
kept (at most 4 MB in all). Warnings and errors also go to stderr, for a terminal.

Never in the log: passwords, activation and unlock codes, tokens, the page's launch
secret. The code logs none of them; the launch secret (`mask`) is blanked out of every
line besides, should a library ever log an address that carries it.
"""

from __future__ import annotations

import logging
import logging.config
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.settings import APP_NAME

LOG_FILE = "assistant.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
MASK = "[secret]"

_masked: set[str] = set()


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def mask(secret: str) -> None:
    """Keeps `secret` out of every line logged from now on."""
    if secret:
        _masked.add(secret)


class MaskingFormatter(logging.Formatter):
    """Local time with its offset; secrets given to `mask` blanked out, tracebacks too."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in _masked:
            line = line.replace(secret, MASK)
        return line

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")  # 2026-12-02T10:10:23.123+01:00


def logging_config(folder: Path | None) -> dict[str, Any]:
    """The `logging.config.dictConfig` of the assistant; without a folder, stderr only."""
    handlers: dict[str, dict[str, Any]] = {}
    if folder is not None:
        handlers["file"] = {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(folder / LOG_FILE),
            "maxBytes": MAX_BYTES,
            "backupCount": BACKUP_COUNT,
            "encoding": "utf-8",
            "formatter": "file",
        }
    if sys.stderr is not None:  # none in a windowed program on Windows
        handlers["stderr"] = {
            "class": "logging.StreamHandler",
            "level": "WARNING",
            "formatter": "stderr",
            "stream": "ext://sys.stderr",
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "file": {
                "()": MaskingFormatter,
                "fmt": "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s",
            },
            "stderr": {"()": MaskingFormatter, "fmt": "isp-assistant: %(levelname)s %(message)s"},
        },
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": "INFO"},
        # Each request to the ISP's server would be a line: only their failures are.
        "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
    }


def configure_logging(folder: Path | None = None) -> Path | None:
    """Sets up the log (in `folder`, default the user's log folder); the file's path, or
    None when the folder cannot be written: the assistant runs on without a log file."""
    folder = folder or log_dir()
    logging.captureWarnings(True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        logging.config.dictConfig(logging_config(folder))
    except (OSError, ValueError) as error:  # dictConfig reports the file's OSError as such
        logging.config.dictConfig(logging_config(None))
        logging.getLogger(__name__).warning("no log file in %s: %s", folder, error)
        return None
    return folder / LOG_FILE
