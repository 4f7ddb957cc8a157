"""A control with an aria-label keeps its visible words inside that name, in every language
(WCAG 2.5.3, label in name): someone who says "click Diagnose anfordern" to speech input
reaches the button that shows "Diagnose anfordern". Read from the portal's templates and
its German catalogue, so a new translation cannot break it unseen."""

from __future__ import annotations

import re
from pathlib import Path

import agent_portal
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import german_catalogue

PORTAL_DIR = Path(agent_portal.__file__).parent
# <button ... aria-label="{{ _('Name', ...) }}" ...>{{ _("Visible words") }}</button>
LABELLED = re.compile(
    r"""aria-label="\{\{\s*_\((?P<q1>['"])(?P<name>.+?)(?P=q1)[^}]*\}\}"[^>]*>"""
    r"""\s*\{\{\s*_\((?P<q2>['"])(?P<visible>.+?)(?P=q2)\)\s*\}\}\s*<"""
)


def labelled_controls() -> list[tuple[str, str, str]]:
    """(template, name, visible words) of every control named apart from its words."""
    found = []
    for template in sorted(PORTAL_DIR.rglob("templates/**/*.html")):
        for match in LABELLED.finditer(template.read_text(encoding="utf-8")):
            found.append((template.name, match["name"], match["visible"]))
    return found


def words(text: str) -> str:
    return " ".join(text.casefold().split())


def test_every_accessible_name_holds_the_visible_words_in_english_and_german():
    controls = labelled_controls()
    assert len(controls) >= 5  # the search finds them: revoke, unlink, codes, diagnostics
    german = german_catalogue(LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po")
    broken = []
    for template, name, visible in controls:
        if words(visible) not in words(name):
            broken.append(f"{template}: “{name}” lacks “{visible}”")
        german_name, german_visible = german.get(name).string, german.get(visible).string
        if words(german_visible) not in words(german_name):
            broken.append(f"{template} (de): “{german_name}” lacks “{german_visible}”")
    assert broken == []
