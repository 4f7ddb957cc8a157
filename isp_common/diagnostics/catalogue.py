"""The assistant's checks and the findings their rules can make, with their titles in German
and English: what the server needs of the checks, which it never runs (an article of the
knowledge base explains findings, chosen by title in the portal's editor).

The list is data, `checks.json` beside this module, in report order. A test keeps it in
step with the assistant's checks (their ids, the ids their rules give findings, and the
titles in the assistant's catalogue) and says how to write it anew when they change::

    check = shared_catalogue().checks[0]     # "internet.interfaces", in report order
    check.findings[1].id                       # "internet.interfaces.not_connected"
    check.findings[1].title.text("de")         # "Dieser Computer ist mit keinem Netzwerk …"

A finding's `severity` is the one its rule always gives, or None where the rule chooses
by the facts. A rule that builds its ids at run time (``f"internet.dns.server_{error}"``)
gives a family: an id prefix under which any id is accepted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from isp_common.diagnostics.report import Category, Severity

CATALOGUE_PATH = Path(__file__).with_name("checks.json")


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Titles(_Entry):
    """One title in each language, as written in the rules and the assistant's catalogue;
    placeholders such as ``{mountpoint}`` stay in."""

    en: str
    de: str

    def text(self, language: str) -> str:
        """The title in `language`; in English, the source, where there is no translation."""
        return self.de if language == "de" else self.en


class FindingEntry(_Entry):
    id: str
    severity: Severity | None
    title: Titles | None
    """None where the rule's title is not a plain text (the check's title stands in)."""


class CheckEntry(_Entry):
    id: str
    category: Category
    title: Titles
    findings: tuple[FindingEntry, ...]
    families: tuple[str, ...] = ()


class ChecksCatalogue(_Entry):
    checks: tuple[CheckEntry, ...]


@cache
def shared_catalogue() -> ChecksCatalogue:
    """The catalogue in `checks.json` (read once per process)."""
    return ChecksCatalogue.model_validate_json(CATALOGUE_PATH.read_bytes())
