"""Which package may import which: the server never imports the assistant, the assistant
never imports the server, `isp_common` neither of them, and the diagnostics
(`assistant/diagnostics/`) nothing of the assistant around them (its shell, premium,
escalation): an ISP's server installs without the desktop's packages, and the checks run
wherever they are given a translator.

Every import statement counts, wherever it stands (inside a function, under
TYPE_CHECKING): a lazy import still fails on an install without the other side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.source_files import SourceFacts, source_facts

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rule:
    """Modules under `package` (a dotted name) import none of `forbidden`, except those
    under `allowed`."""

    package: str
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()

    def breaks(self, imported: str) -> bool:
        return any(_within(imported, name) for name in self.forbidden) and not any(
            _within(imported, name) for name in self.allowed
        )


RULES = (
    Rule("agent_portal", forbidden=("assistant",)),
    Rule("assistant", forbidden=("agent_portal",)),
    Rule("isp_common", forbidden=("assistant", "agent_portal")),
    Rule("assistant.diagnostics", forbidden=("assistant",), allowed=("assistant.diagnostics",)),
)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(facts: SourceFacts, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import of a file, relative ones made absolute. For
    `from a import b`, both `a` and `a.b` count (b may be a module)."""
    found = []
    for statement in facts.imports:
        if not statement.is_from:
            found.extend((statement.line, name) for name in statement.names)
            continue
        base = statement.module
        if statement.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - statement.level + (1 if is_package else 0)]
            base = ".".join(anchor + ([base] if base else []))
        found.append((statement.line, base))
        found.extend((statement.line, f"{base}.{name}") for name in statement.names)
    return found


def violations(rule: Rule, root: Path) -> list[str]:
    """`path:line imports module` for every import under `rule.package` that breaks it."""
    package_dir = root.joinpath(*rule.package.split("."))
    broken = []
    for path in sorted(package_dir.rglob("*.py")):
        module = module_name(path, root)
        facts = source_facts(path)
        for line, imported in imported_modules(facts, module, path.name == "__init__.py"):
            if rule.breaks(imported):
                broken.append(f"{path.relative_to(root)}:{line} imports {imported}")
    return sorted(set(broken))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.package)
def test_no_package_imports_what_its_rule_forbids(rule):
    assert violations(rule, ROOT) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_a_forbidden_import_anywhere_in_a_module_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "agent_portal/__init__.py": "",
            "agent_portal/knowledge/findings.py": (
                "import json\n"
                "def catalogue():\n"
                "    from assistant.diagnostics.catalogue import all_checks\n"
                "    return all_checks()\n"
            ),
            "agent_portal/web/pages.py": "import assistant.i18n as i18n\n",
        },
    )
    assert violations(RULES[0], root) == [
        "agent_portal/knowledge/findings.py:3 imports assistant.diagnostics.catalogue",
        "agent_portal/knowledge/findings.py:3 imports assistant.diagnostics.catalogue.all_checks",
        "agent_portal/web/pages.py:1 imports assistant.i18n",
    ]


def test_the_diagnostics_may_import_themselves_but_not_the_assistant_around_them(tmp_path):
    rule = next(rule for rule in RULES if rule.package == "assistant.diagnostics")
    root = _tree(
        tmp_path,
        {
            "assistant/diagnostics/__init__.py": "from . import runner\n",
            "assistant/diagnostics/runner.py": (
                "from assistant.diagnostics.texts import N_\n"
                "from isp_common.diagnostics.report import Finding\n"
            ),
            "assistant/diagnostics/checks/wifi.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from assistant.premium.gate import PremiumGate\n"
                "from .. import formats\n"
                "from ... import i18n\n"
            ),
        },
    )
    assert violations(rule, root) == [
        "assistant/diagnostics/checks/wifi.py:3 imports assistant.premium.gate",
        "assistant/diagnostics/checks/wifi.py:3 imports assistant.premium.gate.PremiumGate",
        "assistant/diagnostics/checks/wifi.py:5 imports assistant",
        "assistant/diagnostics/checks/wifi.py:5 imports assistant.i18n",
    ]
