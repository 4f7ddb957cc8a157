"""The translator the texts of the diagnostics are rendered with, given by the application.

The texts are English message ids marked with `N_`; their translations belong to the
application that shows them (the assistant keeps them in its own catalogue), so the
application passes its translator in, once, with `use_translator` (the assistant does so
in `assistant.i18n`). Until then the texts stay in English. The language is the
translator's: a context variable set per request or task, which the runner sets for the
checks of a report written in another language.
"""

from __future__ import annotations

from isp_common.i18n import Translator

_translator = Translator(None, "diagnostics")


def use_translator(translator: Translator) -> None:
    """Renders the texts with `translator` from now on, in its language of the moment."""
    global _translator
    _translator = translator


def current_translator() -> Translator:
    return _translator


def language() -> str:
    """The language texts are rendered in right now ("de", "en")."""
    return _translator.language.get()


def gettext(message: str) -> str:
    return _translator.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translator.ngettext(singular, plural, n)
