"""What the tests that read the project's own code need of each Python file: the names
its top level defines and its import statements. Each file is parsed once per test
process, however many of those tests read it (a file changed since is read again); only
these facts are kept, not the syntax trees."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class ImportStatement:
    """`import a, b` (`module` "", `names` ("a", "b")) or `from ..a import b`
    (`module` "a", `level` 2, `names` ("b",))."""

    line: int
    is_from: bool
    module: str
    level: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class SourceFacts:
    defined_at_top: frozenset[str]  # by def, class or assignment to a plain name
    imports: tuple[ImportStatement, ...]  # wherever they stand (functions, TYPE_CHECKING)


def source_facts(path: Path) -> SourceFacts:
    return _read(path, path.stat().st_mtime_ns)


@cache
def _read(path: Path, _modified_ns: int) -> SourceFacts:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    defined = {name for node in tree.body for name in _defined_names(node)}
    imports = [
        _import(node) for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    return SourceFacts(frozenset(defined), tuple(imports))


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _import(node: ast.Import | ast.ImportFrom) -> ImportStatement:
    names = tuple(alias.name for alias in node.names)
    if isinstance(node, ast.Import):
        return ImportStatement(node.lineno, is_from=False, module="", level=0, names=names)
    return ImportStatement(node.lineno, True, node.module or "", node.level, names)
