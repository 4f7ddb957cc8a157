"""The app's one door to the diagnostics package: which checks exist, and running them.

`ISP_ASSISTANT_CHECKS` (comma-separated check ids and/or categories, e.g.
`internet,email.servers`) limits which checks the app lists and runs; unset, all of them.
An ISP can leave out checks that make no sense for its customers, and the tests keep their
runs short this way. Endpoints, mail servers and time limits are the diagnostics settings
(`assistant.diagnostics.settings`, also `ISP_ASSISTANT_...`), with the values of the ISP's
provider profile where nothing is set on the computer (`assistant.provider`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from assistant.runs import CheckInfo, Runner
from isp_common.diagnostics.report import Category, CheckResult, DiagnosticsReport

if TYPE_CHECKING:
    from assistant.diagnostics.settings import DiagnosticsSettings

SELECTION_VARIABLE = "ISP_ASSISTANT_CHECKS"


@dataclass(frozen=True)
class Selection:
    categories: tuple[str, ...] = ()
    check_ids: tuple[str, ...] = ()

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Selection:
        names = [n.strip() for n in environ.get(SELECTION_VARIABLE, "").split(",") if n.strip()]
        categories = {c.value for c in Category}
        return cls(
            categories=tuple(n for n in names if n in categories),
            check_ids=tuple(n for n in names if n not in categories),
        )

    def includes(self, check_id: str, category: str) -> bool:
        if not self.categories and not self.check_ids:
            return True
        return category in self.categories or check_id in self.check_ids


def check_catalogue(selection: Selection | None = None) -> list[CheckInfo]:
    """The checks the dashboard lists, in report order; titles stay English message ids
    here and are translated when shown."""
    from assistant.diagnostics.catalogue import all_checks

    selection = selection or Selection.from_environ()
    known = {check.id for check in all_checks()}
    unknown = set(selection.check_ids) - known
    if unknown:
        raise ValueError(f"{SELECTION_VARIABLE} names unknown checks: {', '.join(sorted(unknown))}")
    return [
        CheckInfo(
            id=check.id,
            category=check.category.value,
            premium=check.premium,
            title=check.title_msgid,
            description=check.description_msgid,
        )
        for check in all_checks()
        if selection.includes(check.id, check.category.value)
    ]


SettingsSource = Callable[[], "DiagnosticsSettings"]


def make_runner(language: Callable[[], str], settings: SettingsSource | None = None) -> Runner:
    """A runner for the run board: the given checks, in the language of the moment, with
    the settings of the moment (`settings()`: the provider's profile may arrive or change
    between runs); without `settings`, those of the environment."""

    async def run(check_ids: Sequence[str], on_result: Callable[[CheckResult], None]):
        from assistant.diagnostics.runner import host_info, run_diagnostics

        if not check_ids:
            # No ids means "all checks" to the diagnostics runner; here it means none.
            return DiagnosticsReport(
                language=language(), started_at=datetime.now(UTC), host=host_info(), checks=[]
            )
        return await run_diagnostics(
            settings() if settings is not None else None,
            check_ids=list(check_ids),
            language=language(),
            on_result=lambda progress: on_result(progress.result),
        )

    return run


def report_checks(categories: Sequence[str], include_premium: bool) -> list[CheckInfo]:
    """The checks of a report the hotline asked for: the app's checks in the categories
    asked for (all when none), premium ones too when asked, since the customer allows this
    one report for support whatever their package."""
    wanted = set(categories)
    return [
        check
        for check in check_catalogue()
        if (not wanted or check.category in wanted) and (include_premium or not check.premium)
    ]


def describe_report(categories: Sequence[str], include_premium: bool) -> list[str]:
    """What such a report holds, by the checks' titles in the current language."""
    from assistant.i18n import _

    return [_(check.title) for check in report_checks(categories, include_premium)]


def make_report_runner(language: Callable[[], str], settings: SettingsSource | None = None):
    """`run(categories, include_premium)` -> the report for the hotline, in `language()`."""

    run_checks = make_runner(language, settings)

    async def run(categories: Sequence[str], include_premium: bool) -> DiagnosticsReport:
        check_ids = [check.id for check in report_checks(categories, include_premium)]
        return await run_checks(check_ids, lambda _result: None)

    return run
