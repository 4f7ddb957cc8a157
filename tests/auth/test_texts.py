"""Every text of the staff and auth pages exists in German."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

import agent_portal.auth
from agent_portal.i18n import LOCALE_DIR

AUTH_DIR = Path(agent_portal.auth.__file__).parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def auth_texts() -> set[str]:
    texts = set()
    for path in sorted(AUTH_DIR.rglob("*")):
        method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
        if method is None:
            continue
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                texts.add(message if isinstance(message, str) else message[0])
    return texts


def test_every_auth_text_has_a_german_translation():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    texts = auth_texts()
    # The extraction found texts in code and in templates.
    assert {"Wrong user name or password.", "Key begins with"} <= texts
    missing = sorted(text for text in texts if text not in catalogue or not catalogue[text].string)
    assert missing == [], f"add German translations to portal.po for: {missing}"
