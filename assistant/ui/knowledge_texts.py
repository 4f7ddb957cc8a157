"""The texts of the help articles shown beside a finding, translated into the current
language. They join `ui_texts()`, so the page reads them like all others."""

from __future__ import annotations

from assistant.i18n import _


def knowledge_ui_texts() -> dict[str, str]:
    return {
        "knowledge_title": _("Articles that may help"),
        "knowledge_loading": _("Looking for articles that may help …"),
        "knowledge_unavailable": _("Help articles could not be loaded right now."),
        "knowledge_symptoms": _("What you notice"),
        "knowledge_solution": _("How to solve it"),
    }
