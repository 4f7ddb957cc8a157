"""The shared catalogue of checks (`isp_common/diagnostics/checks.json`) as the assistant's
checks make it, and the command that writes it anew after a rule changed:

    python -m tests.support.diagnostics_catalogue

The rules make findings with `finding("internet.wifi.weak_signal", severity,
N_("The Wi-Fi signal is weak"), ...)` inside each check module; there is no list of them
to import. So their source is read (with `ast`, nothing is run): every `finding(...)` call
with a literal id gives an id, its severity when fixed, and the English title, which the
assistant's German catalogue translates. A rule that builds its id at run time (an
f-string) gives a family: ids with that prefix are accepted too.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
from dataclasses import dataclass

from assistant.diagnostics.catalogue import all_checks
from assistant.i18n import LOCALE_DIR
from isp_common.diagnostics.catalogue import CATALOGUE_PATH
from isp_common.i18n import translations


@dataclass(frozen=True)
class RuleFinding:
    id: str
    title_msgid: str | None
    # "ok", "info", "warning" or "critical" when the rule always gives the same; else None.
    severity: str | None


def assistant_catalogue() -> dict:
    """What `checks.json` must hold for the assistant's checks as they are now."""
    return {"checks": [_check_entry(check) for check in all_checks()]}


def catalogue_text(catalogue: dict) -> str:
    return json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"


def _check_entry(check) -> dict:
    module = sys.modules[check.evaluate.__module__]
    findings, families = read_rules(inspect.getsource(module), check.id)
    return {
        "id": check.id,
        "category": check.category.value,
        "title": _titles(check.title_msgid),
        "findings": [
            {"id": item.id, "severity": item.severity, "title": _titles(item.title_msgid)}
            for item in findings
        ],
        "families": families,
    }


def _titles(msgid: str | None) -> dict[str, str] | None:
    if msgid is None:
        return None
    german = translations(LOCALE_DIR, "assistant", "de").gettext(msgid)
    return {"en": msgid, "de": german}


def read_rules(source: str, check_id: str) -> tuple[list[RuleFinding], list[str]]:
    """The findings a check module's rules can make: literal ids, and id prefixes of the
    ones built at run time."""
    tree = ast.parse(source)
    constants = _module_texts(tree)
    findings: dict[str, RuleFinding] = {}
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
                RuleFinding(
                    finding_id.value,
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


if __name__ == "__main__":
    CATALOGUE_PATH.write_text(catalogue_text(assistant_catalogue()), encoding="utf-8")
    print(f"wrote {CATALOGUE_PATH}")
