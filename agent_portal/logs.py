"""The server's log: every logger (the portal's, uvicorn's access and error logs, the
libraries') writes to stderr in one format with a timestamp, as text or as JSON lines
(`PORTAL_LOG_FORMAT`), from the level `PORTAL_LOG_LEVEL` up. Every `agent-portal` command
sets it up first (`configure_logging`), so what a command logs (a key rotation, say) is
kept like what the running server logs (mail sent, devices connecting, requests).

A JSON line holds `time` (UTC, ISO 8601), `level`, `logger` and `message`; an access line
adds `client`, `method`, `path` and `status`; an error adds its `exception`.
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
import time
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

ACCESS_LOGGER = "uvicorn.access"
ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


class UtcText(logging.Formatter):
    """`2026-12-02T09:10:23.123Z INFO agent_portal.mail.worker: e-mail 7 sent to …`"""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s: %(message)s",
            datefmt="%Y-%m-%dT%H:%M:%S",
        )


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # uvicorn's access lines carry their parts as the message's arguments.
        parts = record.args if record.name == ACCESS_LOGGER else None
        if isinstance(parts, tuple) and len(parts) == len(ACCESS_FIELDS):
            entry.update(zip(ACCESS_FIELDS, parts, strict=True))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes, not to the one there was
    when logging was set up (a command run inside another program may swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def logging_config(level: LogLevel, log_format: LogFormat) -> dict[str, Any]:
    """The `logging.config.dictConfig` of the server."""
    formatter = JsonLines if log_format == "json" else UtcText
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"portal": {"()": formatter}},
        "handlers": {"stderr": {"()": StderrHandler, "formatter": "portal"}},
        "root": {"handlers": ["stderr"], "level": level},
        # uvicorn's own loggers lose their handlers and pass their records on to the root's,
        # so access lines come in the same format as everything else.
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", ACCESS_LOGGER)
        },
    }


def configure_logging(*, level: LogLevel, log_format: LogFormat) -> None:
    logging.config.dictConfig(logging_config(level, log_format))
    logging.captureWarnings(True)  # Python's warnings too, in the same format
