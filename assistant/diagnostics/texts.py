"""Turning English message ids into the customer's language, with numbers written their way.

Texts defined at import time (check titles, finding texts) are marked with `N_` and kept
in English; they are translated when a finding is made or a title shown, because the
language is chosen at run time (per request or asyncio task), with the translator the
application gave (`assistant.diagnostics.i18n`).

Placeholders follow one convention so the rules stay short: a parameter whose name ends
in ``_bytes`` is shown as a size ("12,5 GB"), other numbers in the language's notation
("1.234,5" in German), both through `assistant.diagnostics.formats`, so they read as on
the portal. A text whose wording depends on a number ("1 update", "3 updates") is marked
with `NP_` and picks its form by the parameter it names (``count`` by default).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from assistant.diagnostics import formats, i18n
from isp_common.diagnostics.report import Finding, ParamValue, QuickLink, Severity

# The rules take N_ from here, beside NP_ and finding().
from isp_common.i18n import N_ as N_


class Plural(NamedTuple):
    singular: str
    plural: str
    n: str = "count"
    """The parameter whose value chooses the form."""


def NP_(singular: str, plural: str, n: str = "count") -> Plural:  # noqa: N802
    """Marks a text with singular and plural forms for translation."""
    return Plural(singular, plural, n)


class HotlineStep(NamedTuple):
    """A step that tells the customer to call the hotline: the finding says so
    (`Finding.calls_hotline`), so the page can show the provider's number beside it."""

    message: str


def call_hotline(message: str) -> HotlineStep:
    """Marks a step (already marked with `N_`) as telling the customer to call us."""
    return HotlineStep(message)


Message = str | Plural


# Numbers that name something rather than count: "port 35627", never "port 35.627".
IDENTIFIERS = {"port", "pid", "status_code", "channel"}


def _display(name: str, value: ParamValue) -> str:
    if value is None:
        return "–"
    if name in IDENTIFIERS or isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return formats.yes_no(value)
    if isinstance(value, int | float) and name.endswith("_bytes"):
        return formats.size(value)
    if isinstance(value, float):
        return formats.decimal(value)
    if isinstance(value, int):
        return formats.number(value)
    return value


def render(msgid: Message, params: dict[str, ParamValue] | None = None) -> str:
    """The message in the current language with its placeholders filled in."""
    if isinstance(msgid, Plural):
        count = (params or {}).get(msgid.n)
        count = int(count) if isinstance(count, int | float) else 2
        text = i18n.ngettext(msgid.singular, msgid.plural, count)
    else:
        text = i18n.gettext(msgid)
    if not params:
        return text
    return text.format(**{name: _display(name, value) for name, value in params.items()})


def finding(
    finding_id: str,
    severity: Severity,
    title: Message,
    explanation: Message,
    steps: Iterable[Message | HotlineStep] = (),
    quick_link: QuickLink | None = None,
    **params: ParamValue,
) -> Finding:
    """A finding with its texts translated now; the English ids come from `N_` constants."""
    steps = list(steps)
    return Finding(
        id=finding_id,
        severity=severity,
        title=render(title, params),
        explanation=render(explanation, params),
        steps=[render(_message_of(step), params) for step in steps],
        quick_link=quick_link,
        params=params,
        calls_hotline=any(isinstance(step, HotlineStep) for step in steps),
    )


def _message_of(step: Message | HotlineStep) -> Message:
    return step.message if isinstance(step, HotlineStep) else step
