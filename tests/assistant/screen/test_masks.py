"""Which window titles are kept out of the picture, and how masks are painted."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.screen.areas import Area
from assistant.screen.masks import DEFAULT_PRIVACY_TITLES, Masking, TitleMatcher, black_out


@pytest.mark.parametrize(
    "title",
    [
        "Datenbank.kdbx - KeePassXC",
        "KeePass Password Safe",
        "Bitwarden",
        "1Password – Tresor",
        "Online-Banking | Sparkasse KölnBonn – Mozilla Firefox",
        "Onlinebanking - Volksbank",
        "PayPal: Zusammenfassung",
        "Passwortverwaltung",
        "Neues Passwort festlegen – Chromium",
        "Enter password",
        "passwords - Firefox",
    ],
)
def test_password_managers_and_banking_are_private_by_default(title):
    assert TitleMatcher(DEFAULT_PRIVACY_TITLES)(title)


@pytest.mark.parametrize(
    "title",
    ["Settings", "Einstellungen", "Router-Diagnose", "Rechnung März.pdf", "Terminal", ""],
)
def test_ordinary_windows_are_not(title):
    assert not TitleMatcher(DEFAULT_PRIVACY_TITLES)(title)


def test_plain_entries_match_at_a_word_start_and_globs_the_whole_title():
    matcher = TitleMatcher(["ING", "*steuer*.pdf"])
    assert matcher("ING Banking")
    assert not matcher("Settings")  # "ing" inside a word is no match
    assert matcher("Einkommensteuer 2025.PDF")
    assert not matcher("Steuer")


def test_black_out_paints_only_the_part_on_the_picture():
    picture = np.full((100, 200, 4), 200, dtype=np.uint8)
    # the picture of a window at (1000, 500); one mask overlaps its corner, one is elsewhere
    black_out(picture, Area(1000, 500, 200, 100), [Area(950, 450, 100, 80), Area(0, 0, 50, 50)])
    assert (picture[:30, :50, :3] == 0).all()
    assert (picture[30:, :, :3] == 200).all() and (picture[:, 50:, :3] == 200).all()


def test_masking_leaves_the_grab_alone_and_blacks_out_a_copy_only_when_a_mask_lies_on_it():
    grab = np.full((100, 200, 4), 200, dtype=np.uint8)
    grab.flags.writeable = False  # as mss' shared-memory buffer
    origin, masking = Area(1000, 500, 200, 100), Masking()
    assert masking(grab, origin, [Area(0, 0, 50, 50)]) is grab  # nothing on it: no copy
    masked = masking(grab, origin, [Area(950, 450, 100, 80)])
    assert masked is not grab and (grab == 200).all()
    assert (masked[:30, :50, :3] == 0).all() and (masked[:30, :50, 3] == 255).all()
    assert (masked[30:, :, :3] == 200).all() and (masked[:, 50:, :3] == 200).all()
    # The next grab, now with its mask elsewhere: the buffer is reused, the old mask gone.
    again = masking(grab, origin, [Area(1150, 560, 100, 100)])
    assert again is masked
    assert (again[60:, 150:, :3] == 0).all() and (again[:30, :50, :3] == 200).all()
