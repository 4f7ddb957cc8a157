"""Every text a customer can read from the diagnostics exists in German, placeholders intact."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from babel.messages.pofile import read_po

import assistant.diagnostics
from assistant.diagnostics.texts import NP_, render
from assistant.i18n import LOCALE_DIR, translator

PACKAGE = Path(assistant.diagnostics.__file__).parent


def _messages() -> dict[str | tuple[str, str], str]:
    """Every text marked in the package: N_("...") and NP_("one", "many")."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
            if node.func.id in {"N_", "_"} and texts:
                found[texts[0]] = f"{path.name}:{node.lineno}"
            elif node.func.id == "NP_" and len(texts) == 2:
                found[tuple(texts)] = f"{path.name}:{node.lineno}"
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_diagnostics_text_has_a_german_translation_with_the_same_placeholders():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po").open("rb") as po:
        catalog = read_po(po, locale="de")
    messages = _messages()
    assert len(messages) > 100
    missing = []
    for msgid, where in messages.items():
        entry = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        if entry is None or not all(entry.string if isinstance(msgid, tuple) else [entry.string]):
            missing.append(f"{where}: {msgid}")
            continue
        if isinstance(msgid, tuple):
            # The German plural form uses what the English plural uses.
            assert _placeholders(entry.string[1]) == _placeholders(msgid[1]), msgid
        else:
            assert _placeholders(entry.string) == _placeholders(msgid), msgid
    assert missing == []


def test_texts_with_a_number_choose_singular_or_plural_in_both_languages():
    message = NP_(
        "{count} update is waiting to be installed.", "{count} updates are waiting to be installed."
    )
    assert render(message, {"count": 1}) == "1 update is waiting to be installed."
    assert render(message, {"count": 3}) == "3 updates are waiting to be installed."
    token = translator.language.set("de")
    try:
        assert render(message, {"count": 1}) == "1 Update wartet auf die Installation."
        assert render(message, {"count": 1234}) == "1.234 Updates warten auf die Installation."
    finally:
        translator.language.reset(token)
