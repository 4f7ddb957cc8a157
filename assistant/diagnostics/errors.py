"""Why a collector could not produce its facts.

Collectors translate OS errors into these at the edge (``raise ... from err``); the runner
turns each into a check result with status "unknown" and the reason in plain words::

    Unknown                 the facts cannot be known here; ``reason`` says why
     +-- AccessDenied       the operating system refused (administrator rights needed)
     +-- ToolMissing        a program the check needs is not installed (e.g. smartctl)
     +-- NotSupported       this computer or operating system does not tell

A timeout is not an error here: the runner cuts a check that runs too long and reports it
with status "timed_out".
"""

from __future__ import annotations

from assistant.diagnostics.texts import render


class Unknown(Exception):  # noqa: N818 - "unknown" is the answer the check gives, not a failure
    """The facts cannot be known; ``reason`` is an English message id with ``{params}``."""

    def __init__(self, reason: str, **params: str | int | float | None) -> None:
        super().__init__(reason.format(**params) if params else reason)
        self.msgid = reason
        self.params = params

    @property
    def reason(self) -> str:
        """The reason in the current language."""
        return render(self.msgid, self.params)


class AccessDenied(Unknown):
    """The operating system refused to give the information to this user."""


class ToolMissing(Unknown):
    """A program the check relies on is not installed."""


class NotSupported(Unknown):
    """This computer or its operating system does not report these facts."""
