"""Findings of several checks read together, where each alone would confuse.

Each check judges its own facts, so a customer can read "the internet is reachable" beside
"your router does not answer", or "name lookup works" beside "no connection to the
internet", and wonder which one is true. Both are: the combination itself says something.
Each rule here names the signals it needs (finding ids, or what a completed check did not
find, see `_signals`) and says in plain words what the combination means and what to do.

A check that could not run contradicts nothing: its signals are simply absent, so no rule
fires on a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from assistant.diagnostics.texts import N_, render
from isp_common.diagnostics.report import CheckResult, CheckStatus

# What a completed check did not find, as a signal of its own.
INTERNET_WORKS = "internet.works"
NAMES_WORK = "internet.names_work"


@dataclass(frozen=True)
class Rule:
    id: str
    needs: frozenset[str]
    """Finding ids (or the signals above) that must all be there."""
    text: str
    """What the combination means and what to do, marked with `N_`."""


RULES: tuple[Rule, ...] = (
    Rule(
        "internet.combined.router_silent_internet_works",
        frozenset({"internet.gateway.no_answer", INTERNET_WORKS}),
        N_(
            "The internet works through your router even though the router itself does not "
            "answer: it passes your traffic on but ignores the assistant's test. You need to do "
            "nothing while websites load; if they stop, restart the router."
        ),
    ),
    Rule(
        "internet.combined.settings_page_only",
        frozenset({"internet.modem.no_answer", "internet.gateway.ok", INTERNET_WORKS}),
        N_(
            "Your internet works; only the router's settings page does not open. You need that "
            "page only to change the router's settings: to open it, restart the router and try "
            "again."
        ),
    ),
    Rule(
        "internet.combined.names_fail_internet_works",
        frozenset({"internet.dns.failed", INTERNET_WORKS}),
        N_(
            "Your line works, since addresses on the internet answer, but the names of websites "
            "cannot be looked up, so websites and e-mail fail. Restart the router; if that does "
            "not help, call us: the fault may lie with our name servers."
        ),
    ),
    Rule(
        "internet.combined.names_work_internet_down",
        frozenset({NAMES_WORK, "internet.reachability.offline"}),
        N_(
            "Names of websites are still found, perhaps from your router's memory, but nothing "
            "on the internet answers: the line itself is down. Look at the router's internet "
            "light, restart the router, and call us if the light stays off."
        ),
    ),
)


class Combined(NamedTuple):
    id: str
    text: str
    """In the current language."""


def _signals(results: Iterable[CheckResult]) -> set[str]:
    completed = [result for result in results if result.status is CheckStatus.completed]
    found = {finding.id for result in completed for finding in result.findings}
    ran = {result.check_id for result in completed}
    if "internet.reachability" in ran and "internet.reachability.offline" not in found:
        found.add(INTERNET_WORKS)
    if "internet.dns" in ran and "internet.dns.failed" not in found:
        found.add(NAMES_WORK)
    return found


def read_together(results: Iterable[CheckResult]) -> list[Combined]:
    """What the results mean together, where they seem to contradict; in rule order."""
    signals = _signals(results)
    return [Combined(rule.id, render(rule.text)) for rule in RULES if rule.needs <= signals]
