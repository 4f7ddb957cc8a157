"""The checks: what each one is, found by convention, and which ones a run includes.

Every module in `assistant.diagnostics.checks` defines ``CHECK``; adding a module adds a
check, with no list to edit (the way Glances finds its plugins). Each check carries its
id, category and premium flag, so the premium catalogue can tell free from paid checks
without running anything.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, render
from isp_common.diagnostics.report import Category, Finding

if TYPE_CHECKING:
    from assistant.diagnostics.collectors import Collectors

# Which premium feature (`isp_common.features`) unlocks a premium check: the one of its
# category, unless the check is listed on its own. The one place that decides this, for
# the window, its local API and the command line alike.
PREMIUM_FEATURE_OF_CATEGORY = {
    Category.computer: "system_info",
    Category.security: "security_overview",
}
PREMIUM_FEATURE_OF_CHECK = {
    "computer.processes": "process_list",
    "computer.storage": "disk_health",
    "computer.disk_health": "disk_health",
}
UNPLACED_PREMIUM_CHECK = "unplaced_premium_check"
"""What a premium check outside the tables gets: no catalogue knows it, so it stays locked."""

CATEGORY_TITLES = {
    Category.internet: N_("Internet and Wi-Fi"),
    Category.email: N_("E-mail"),
    Category.computer: N_("Computer"),
    Category.security: N_("Security"),
}


class CheckInfo(BaseModel):
    """A check as the UI and the premium catalogue see it, texts in the current language."""

    id: str
    category: Category
    category_title: str
    premium: bool
    title: str
    description: str


@dataclass(frozen=True)
class Check:
    id: str
    """Stable: ``<category>.<name>``; reports and the premium catalogue refer to it."""
    category: Category
    premium: bool
    title_msgid: str
    description_msgid: str
    collect: Callable[[Collectors], Awaitable[Any]]
    """Gathers the facts; raises `assistant.diagnostics.errors.Unknown` when it cannot."""
    evaluate: Callable[[Any, Thresholds], list[Finding]]
    """The rules: facts and thresholds in, findings out (at least one when all is well)."""
    order: int
    """Position in reports and lists: the way a technician goes, from cable to programs."""
    timeout: float | None = None
    """Its own time limit when it needs more than the general one (settings can override)."""

    @property
    def title(self) -> str:
        return render(self.title_msgid)

    @property
    def feature_id(self) -> str | None:
        return premium_feature(self.id, self.category, self.premium)

    def info(self) -> CheckInfo:
        return CheckInfo(
            id=self.id,
            category=self.category,
            category_title=render(CATEGORY_TITLES[self.category]),
            premium=self.premium,
            title=self.title,
            description=render(self.description_msgid),
        )


def premium_feature(check_id: str, category: Category | str, premium: bool) -> str | None:
    """The feature id the premium gate must allow before a check may run or show; None
    for a free check."""
    if not premium:
        return None
    return PREMIUM_FEATURE_OF_CHECK.get(check_id) or PREMIUM_FEATURE_OF_CATEGORY.get(
        Category(category), UNPLACED_PREMIUM_CHECK
    )


@cache
def all_checks() -> tuple[Check, ...]:
    """Every check of `assistant.diagnostics.checks`, in report order."""
    from assistant.diagnostics import checks  # the checks import this module

    found = []
    for module_info in pkgutil.iter_modules(checks.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{checks.__name__}.{module_info.name}")
        check = getattr(module, "CHECK", None)
        if isinstance(check, Check):
            found.append(check)
    ids = [c.id for c in found]
    if len(ids) != len(set(ids)):
        raise RuntimeError(f"two checks share an id: {sorted(ids)}")
    return tuple(sorted(found, key=lambda c: c.order))


def get_check(check_id: str) -> Check | None:
    return next((c for c in all_checks() if c.id == check_id), None)


def select_checks(
    categories: Iterable[Category | str] | None = None,
    include_premium: bool = True,
    check_ids: Iterable[str] | None = None,
) -> list[Check]:
    """The checks of a run: by category and/or id; premium ones only when included."""
    wanted_categories = {Category(c) for c in categories} if categories else None
    wanted_ids = set(check_ids) if check_ids else None
    if wanted_ids is not None:
        unknown = wanted_ids - {c.id for c in all_checks()}
        if unknown:
            raise ValueError(f"no such check: {', '.join(sorted(unknown))}")
    return [
        check
        for check in all_checks()
        if (wanted_categories is None or check.category in wanted_categories)
        and (wanted_ids is None or check.id in wanted_ids)
        and (include_premium or not check.premium)
    ]


def catalogue() -> list[CheckInfo]:
    """All checks, described in the current language (for the UI and the premium gate)."""
    return [check.info() for check in all_checks()]
