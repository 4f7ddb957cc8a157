"""Which language the assistant speaks: the customer's choice, else the system's."""

from __future__ import annotations

import contextlib
import locale
import os
from collections.abc import Callable, Mapping

from isp_common.i18n import pick_language

# The order gettext itself reads these in: LANGUAGE may hold a list ("de_AT:de:en").
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def system_language(
    environ: Mapping[str, str] = os.environ,
    getlocale: Callable[[], tuple[str | None, str | None]] = locale.getlocale,
) -> str:
    """The operating system's language if the assistant speaks it, else German.

    The locale variables come first (they are what the customer set up); Windows sets none,
    and there `locale.getlocale()` reports the language chosen in the system settings.
    """
    candidates: list[str | None] = []
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        # "C" and "POSIX" say nothing about the person in front of the screen.
        candidates.extend(part for part in value.split(":") if part not in ("", "C", "POSIX"))
    with contextlib.suppress(ValueError):
        candidates.append(_windows_name_to_code(getlocale()[0]))
    return pick_language(*candidates)


# Windows names its locales in words ("German_Germany", "English_United States").
WINDOWS_LANGUAGE_NAMES = {"german": "de", "english": "en"}


def _windows_name_to_code(name: str | None) -> str | None:
    if not name:
        return name
    word = name.split("_")[0].split(" ")[0].lower()
    return WINDOWS_LANGUAGE_NAMES.get(word, name)


def choose_language(
    requested: str | None, saved: str | None, environ: Mapping[str, str] = os.environ
) -> str:
    """`--lang` for this launch wins, then the language saved in the settings, then the OS."""
    return pick_language(requested, saved, default="") or system_language(environ)
