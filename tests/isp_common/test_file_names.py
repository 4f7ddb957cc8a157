"""One rule for file names from another computer: whatever an agent or a customer calls a
file, what is stored and saved is a valid, harmless name on Windows, macOS and Linux."""

from __future__ import annotations

import random

import pytest
from pathvalidate import validate_filename

from isp_common.file_names import MAX_NAME_BYTES, numbered, safe_file_name

HOSTILE = {
    "..\\..\\evil.bat": "evil.bat",
    "../../etc/passwd": "passwd",
    "C:\\Windows\\system32\\drivers\\etc\\hosts": "hosts",
    "CON": "CON_",
    "con": "con_",
    "NUL.txt": "NUL_.txt",
    "LPT1.tar.gz": "LPT1_.tar.gz",
    "CON .txt": "CON_.txt",
    "AUX.": "AUX_",
    "a:b.txt": "ab.txt",
    "a.txt:x": "a.txtx",
    'report<>:"|?*.pdf': "report.pdf",
    "trailing dots...": "trailing dots",
    "trailing space.txt ": "trailing space.txt",
    ".bashrc": "bashrc",
    "..": "file",
    '<>:"|?*': "file",
    "   ": "file",
    "evil\u202efdp.exe": "evilfdp.exe",
    "zero\u200bwidth.png": "zerowidth.png",
    "line\nbreak\ttab.txt": "line break tab.txt",
    "nul\x00byte.txt": "nulbyte.txt",
}


@pytest.mark.parametrize(("given", "expected"), HOSTILE.items())
def test_hostile_names_become_safe_names(given, expected):
    assert safe_file_name(given) == expected


@pytest.mark.parametrize(
    "name", ["screen.png", "Rechnung März 2026.pdf", "report_küche-pc_2025-03-14_10-30.html"]
)
def test_ordinary_names_stay_as_they_are(name):
    assert safe_file_name(name) == name


def test_a_long_name_keeps_its_extension_and_fits_every_file_system():
    name = safe_file_name("ä" * 300 + ".pdf")
    assert name.endswith(".pdf") and name.startswith("ää")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(numbered(name, 999).encode("utf-8")) < 255


def test_any_name_becomes_valid_everywhere_and_stays_so():
    # Names made of the characters that cause trouble somewhere, in every mix.
    alphabet = list('abcCONULPT1.: <>"/\\|?*\x00\x1f\u202e\u200b\t\nä.') + ["COM1", "NUL", ".."]
    chooser = random.Random(20261202)
    for _ in range(3000):
        given = "".join(chooser.choices(alphabet, k=chooser.randint(0, 12)))
        safe = safe_file_name(given)
        validate_filename(safe, platform="universal")  # raises on anything invalid
        assert not safe.startswith("."), given
        assert safe_file_name(safe) == safe, given


def test_copies_are_numbered_before_the_extension():
    assert numbered("report.pdf", 2) == "report (2).pdf"
    assert numbered("notes", 3) == "notes (3)"
