"""The assistant speaks the system's language, unless the customer chose another."""

from __future__ import annotations

import pytest

from assistant.language import choose_language, system_language


def no_locale():
    return (None, None)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        ({"LANGUAGE": "fr_FR:en_US", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LC_ALL": "C"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),
    ],
)
def test_the_system_language_is_followed(environ, expected):
    assert system_language(environ, getlocale=no_locale) == expected


def test_without_locale_variables_the_os_locale_decides():
    # Windows sets no LANG: the language comes from the system settings.
    assert system_language({}, getlocale=lambda: ("English_United States", "1252")) == "en"


def test_a_saved_choice_beats_the_system_and_the_flag_beats_both():
    environ = {"LANG": "de_DE.UTF-8"}
    assert choose_language(None, None, environ) == "de"
    assert choose_language(None, "en", environ) == "en"
    assert choose_language("de", "en", environ) == "de"


def test_a_german_windows_is_recognised():
    assert system_language({}, getlocale=lambda: ("German_Germany", "1252")) == "de"
