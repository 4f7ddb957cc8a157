"""The diagnostics findings an article can explain, from the shared catalogue of checks.

The server never runs a check: which checks the assistant has, which findings their rules
can make and their titles in German and English come from `isp_common.diagnostics.
catalogue`, which a test keeps in step with the assistant's checks. A rule that builds its
ids at run time gives a family: ids with that prefix are accepted too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from isp_common.diagnostics.catalogue import Titles, shared_catalogue

# Defined once, beside the wire format; the portal's views import them from here.
from isp_common.knowledge_wire import FINDING_ID_MAX, FINDING_ID_PATTERN  # noqa: F401

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class FindingInfo:
    id: str
    check_id: str
    title: Titles | None
    # "ok", "info", "warning" or "critical" when the rule always gives the same; else None.
    severity: str | None


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: Titles


@dataclass(frozen=True)
class Choice:
    id: str
    title: str


@dataclass(frozen=True)
class ChoiceGroup:
    title: str
    choices: list[Choice]


@dataclass(frozen=True)
class FindingCatalogue:
    checks: tuple[CheckInfo, ...]
    findings: tuple[FindingInfo, ...]
    # Id prefixes of findings whose ids the rules build at run time.
    families: tuple[str, ...] = ()
    _by_id: dict[str, FindingInfo] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_id.update({info.id: info for info in self.findings})

    def is_known(self, finding_id: str) -> bool:
        if finding_id in self._by_id:
            return True
        return bool(FINDING_ID_PATTERN.match(finding_id)) and any(
            finding_id.startswith(prefix) and len(finding_id) > len(prefix)
            for prefix in self.families
        )

    def title(self, finding_id: str, language: str) -> str:
        """The finding's title in `language` ("The drive … is almost full"); for ids of a
        family, the check's title; the id itself when unknown."""
        info = self._by_id.get(finding_id)
        if info is not None and info.title is not None:
            return _shown(info.title, language)
        check = self._check_of(finding_id)
        return _shown(check.title, language) if check else finding_id

    def choices(self, language: str, keep: Iterable[str] = ()) -> list[ChoiceGroup]:
        """What an article can explain, grouped by check in report order. Findings that only
        say all is well are left out, unless listed in `keep` (already chosen)."""
        kept = set(keep)
        groups = []
        for check in self.checks:
            choices = [
                Choice(info.id, self.title(info.id, language))
                for info in self.findings
                if info.check_id == check.id and (info.severity != "ok" or info.id in kept)
            ]
            if choices:
                groups.append(ChoiceGroup(_shown(check.title, language), choices))
        return groups

    def _check_of(self, finding_id: str) -> CheckInfo | None:
        return next((c for c in self.checks if finding_id.startswith(f"{c.id}.")), None)


def _shown(titles: Titles, language: str) -> str:
    """The title in `language`, with each placeholder filled in at run time shown as "…"."""
    return _PLACEHOLDER.sub("…", titles.text(language))


@cache
def diagnostics_catalogue() -> FindingCatalogue:
    """The findings of the assistant's checks, from the shared catalogue (made once)."""
    checks, findings, families = [], [], []
    for check in shared_catalogue().checks:
        checks.append(CheckInfo(check.id, check.title))
        findings.extend(FindingInfo(f.id, check.id, f.title, f.severity) for f in check.findings)
        families.extend(check.families)
    return FindingCatalogue(tuple(checks), tuple(findings), tuple(families))
