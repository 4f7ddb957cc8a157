"""Every sentence of the premium pages exists in German, placeholders intact, and a German
customer gets them."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from babel.messages.pofile import read_po

import assistant
from assistant.i18n import LOCALE_DIR
from tests.premium_server.conftest import unreachable_url

SOURCES = [
    "ui/premium_texts.py",
    "local_api/premium_api.py",
    "local_api/cleanup_api.py",
    "diagnostics/cli.py",
]


def marked_texts() -> dict[str, str]:
    package = Path(assistant.__file__).parent
    found = {}
    for name in SOURCES:
        for node in ast.walk(ast.parse((package / name).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{name}:{node.lineno}"
    return found


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_premium_page_text_has_a_german_translation_with_its_placeholders():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    texts = marked_texts()
    assert len(texts) > 60
    missing = [f"{where}: {text}" for text, where in texts.items() if not catalogue.get(text)]
    assert missing == []
    for text in texts:
        assert placeholders(catalogue.get(text).string) == placeholders(text), text


def test_a_german_customer_reads_the_premium_pages_in_german(start_assistant):
    assistant = start_assistant(unreachable_url(), lang="de")
    with assistant.client() as client:
        page = client.get("/").text
        status = client.get("/api/premium").json()
        refused = client.post("/api/cleanup/preview")

    assert "Freischaltcode eingeben" in page and "Aufräumen" in page
    assert status["tier_name"] == "Kostenlos"
    cleanup = next(f for f in status["features"] if f["id"] == "cleanup")
    assert cleanup["title"] == "PC- und Browser-Bereinigung"
    assert refused.json()["error"].startswith("Diese Funktion gehört zu Premium.")
