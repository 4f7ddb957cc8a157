"""The diagnostics findings an article can explain, read from the assistant's own checks.

The assistant's rules make findings with `finding("internet.wifi.weak_signal", severity,
N_("The Wi-Fi signal is weak"), ...)` inside each check module; there is no list of them to
import. So the catalogue reads the rules' source once (with `ast`, nothing is run): every
`finding(...)` call with a literal id gives an id, its severity when fixed, and the English
title, which the assistant's German catalogue translates. A rule that builds its id at run
time (an f-string) gives a family: ids with that prefix are accepted too. A new rule in the
assistant thus appears in the editor without a change here.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from isp_common.i18n import translations

# Defined once, beside the wire format; the portal's views import them from here.
from isp_common.knowledge_wire import FINDING_ID_MAX, FINDING_ID_PATTERN  # noqa: F401

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class FindingInfo:
    id: str
    check_id: str
    title_msgid: str | None
    # "ok", "info", "warning" or "critical" when the rule always gives the same; else None.
    severity: str | None


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title_msgid: str


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
    # Where the assistant's translations are; without them, titles stay in English.
    locale_dir: Path | None = None
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
        if info is not None and info.title_msgid:
            return self._translate(info.title_msgid, language)
        check = self._check_of(finding_id)
        return self._translate(check.title_msgid, language) if check else finding_id

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
                groups.append(ChoiceGroup(self._translate(check.title_msgid, language), choices))
        return groups

    def _check_of(self, finding_id: str) -> CheckInfo | None:
        return next((c for c in self.checks if finding_id.startswith(f"{c.id}.")), None)

    def _translate(self, msgid: str, language: str) -> str:
        text = msgid
        if self.locale_dir is not None:
            text = translations(self.locale_dir, "assistant", language).gettext(msgid)
        return _PLACEHOLDER.sub("…", text)


@cache
def diagnostics_catalogue() -> FindingCatalogue:
    """The findings of the assistant's checks (read once per process)."""
    from assistant.diagnostics.catalogue import all_checks
    from assistant.i18n import LOCALE_DIR

    checks, findings, families = [], [], []
    for check in all_checks():
        checks.append(CheckInfo(check.id, check.title_msgid))
        module = sys.modules[check.evaluate.__module__]
        found, found_families = read_rules(inspect.getsource(module), check.id)
        findings.extend(found)
        families.extend(found_families)
    return FindingCatalogue(tuple(checks), tuple(findings), tuple(families), LOCALE_DIR)


def read_rules(source: str, check_id: str) -> tuple[list[FindingInfo], list[str]]:
    """The findings a check module's rules can make: literal ids, and id prefixes of the
    ones built at run time."""
    tree = ast.parse(source)
    constants = _module_texts(tree)
    findings: dict[str, FindingInfo] = {}
    families = []
    # In source order, the order the rules are written in (ast.walk goes breadth first).
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in calls:
        if _called_name(node.func) != "finding":
            continue
        arguments = _arguments(node, ("finding_id", "severity", "title"))
        finding_id = arguments.get("finding_id")
        if isinstance(finding_id, ast.Constant) and isinstance(finding_id.value, str):
            findings.setdefault(
                finding_id.value,
                FindingInfo(
                    finding_id.value,
                    check_id,
                    _text(arguments.get("title"), constants),
                    _severity(arguments.get("severity")),
                ),
            )
        elif isinstance(finding_id, ast.JoinedStr):
            prefix = ""
            for part in finding_id.values:
                if not isinstance(part, ast.Constant):
                    break
                prefix += str(part.value)
            if prefix.startswith(f"{check_id}."):
                families.append(prefix)
    return list(findings.values()), families


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, ast.expr]:
    given = dict(zip(names, call.args, strict=False))
    given.update({kw.arg: kw.value for kw in call.keywords if kw.arg in names})
    return given


def _module_texts(tree: ast.Module) -> dict[str, str]:
    """Module constants such as `TURN_ON = N_("...")`."""
    texts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            text = _text(node.value, {})
            if isinstance(target, ast.Name) and text is not None:
                texts[target.id] = text
    return texts


def _text(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Call) and _called_name(node.func) == "N_" and node.args:
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return argument.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _severity(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Attribute) and _called_name(node.value) == "Severity":
        return node.attr
    return None
