"""Why a collector could not produce its facts.

Collectors translate OS errors into these at the edge (``raise ... from err``); the runner
turns each into a check result with status "unknown" and the reason in plain words::

    Unknown                 the facts cannot be known here; ``reason`` says why
     +-- AccessDenied       the operating system refused (administrator rights needed)
     +-- ToolMissing        a program the check needs is not installed (e.g. smartctl)
     +-- NotSupported       this computer or operating system does not tell

A timeout is not an error here: the runner cuts a check that runs too long and reports it
with status "timed_out".

Besides its ``reason`` (why, shown on the check's row), an unknown may carry ``advice``:
what that means for the customer and what they can do, shown when the row is opened. Each
kind has its own, a raise may give a better one (`advice=`); a plain `Unknown` has none, so
its row says the reason and has nothing to open rather than the same sentence twice.
"""

from __future__ import annotations

from assistant.diagnostics.texts import N_, render


class Unknown(Exception):  # noqa: N818 - "unknown" is the answer the check gives, not a failure
    """The facts cannot be known; ``reason`` is an English message id with ``{params}``."""

    default_advice: str | None = None

    def __init__(
        self, reason: str, *, advice: str | None = None, **params: str | int | float | None
    ) -> None:
        super().__init__(reason.format(**params) if params else reason)
        self.msgid = reason
        self.advice_msgid = advice or self.default_advice
        self.params = params

    @property
    def reason(self) -> str:
        """The reason in the current language."""
        return render(self.msgid, self.params)

    @property
    def advice(self) -> str | None:
        """What the customer can make of it, in the current language; None: nothing."""
        return render(self.advice_msgid, self.params) if self.advice_msgid else None


class AccessDenied(Unknown):
    """The operating system refused to give the information to this user."""

    default_advice = N_(
        "Your other results are complete. To include this check, start the assistant as an "
        "administrator, or ask your hotline."
    )


class ToolMissing(Unknown):
    """A program the check relies on is not installed."""

    default_advice = N_(
        "Your other results are not affected. Your hotline can tell you whether you need "
        "that program."
    )


class NotSupported(Unknown):
    """This computer or its operating system does not report these facts."""

    default_advice = N_("This computer does not report it, so there is nothing you need to do.")
