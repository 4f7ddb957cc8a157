"""Cleanup against hostile folders: links, odd names, folders swapped for links, also while
it runs. Nothing outside the cache and temp folders may ever be touched."""

from __future__ import annotations

import os
import shutil

from assistant.premium.cleanup import RootStatus, SkipReason
from tests.support.premium_keys import put


def _skipped(report) -> dict[str, str]:
    return {skipped.path: skipped.reason for skipped in report.skipped}


def _skipped_by_root(report) -> dict[tuple[str, str], str]:
    return {(skipped.root_id, skipped.path): skipped.reason for skipped in report.skipped}


def test_links_never_lead_the_cleanup_out_of_its_folders(computer, premium_gate, tree):
    cache = computer.firefox_cache()
    put(cache / "entries" / "E1")
    (cache / "home").symlink_to(computer.home)
    (cache / "outside").symlink_to(computer.outside)
    (cache / "entries" / "letter").symlink_to(computer.home / "Documents" / "letter.txt")
    (computer.temp / "home").symlink_to(computer.home)
    # Roots that are links themselves, or reached through a linked profile folder.
    decoy = computer.canary(computer.home / "Documents" / "Cache" / "report.doc")
    chrome = computer.home / ".cache" / "google-chrome"
    chrome.mkdir(parents=True)
    (chrome / "Profile 1").symlink_to(computer.home / "Documents")
    (computer.home / ".cache" / "thumbnails").symlink_to(computer.outside)
    computer.firefox_cache("linked.default").parent.mkdir(parents=True)
    computer.firefox_cache("linked.default").symlink_to(computer.outside)
    edge = computer.home / ".cache" / "microsoft-edge" / "Default"
    edge.mkdir(parents=True)
    (edge / "Cache").symlink_to(computer.home)
    cleaner = computer.cleaner(premium_gate, tree)

    preview = cleaner.preview()
    report = cleaner.run(preview.preview_id)

    assert {root.root_id for root in preview.roots} == {
        "firefox_cache:abc.default-release",
        "temp_files",
    }
    assert computer.damaged_canaries() == [] and decoy.read_bytes().startswith(b"precious")
    assert not (cache / "entries" / "E1").exists()
    firefox = "firefox_cache:abc.default-release"
    assert _skipped_by_root(report) == {
        (firefox, "home"): SkipReason.SYMBOLIC_LINK,
        (firefox, "outside"): SkipReason.SYMBOLIC_LINK,
        (firefox, "entries/letter"): SkipReason.SYMBOLIC_LINK,
        ("temp_files", "home"): SkipReason.SYMBOLIC_LINK,
    }
    assert (cache / "home").is_symlink() and (computer.temp / "home").is_symlink()


def test_odd_names_are_only_names_inside_the_folder(computer, premium_gate, tree):
    cache = computer.firefox_cache()
    odd = ["..", "...", "..evil", "a..b", "..\\..\\escape", " .. ", "new\nline", "-rf", "~"]
    odd = [name for name in odd if name != ".."]  # the OS itself refuses this one
    for name in odd:
        put(cache / name)
    computer.canary(cache.parent / "escape")
    computer.canary(computer.home / "-rf")
    cleaner = computer.cleaner(premium_gate, tree)

    preview = cleaner.preview()
    report = cleaner.run(preview.preview_id)

    assert report.deleted_count == len(odd) == preview.file_count
    assert not any((cache / name).exists() for name in odd)
    assert computer.damaged_canaries() == []


def test_special_files_are_left_alone(computer, premium_gate, tree):
    cache = computer.firefox_cache()
    put(cache / "E1")
    os.mkfifo(cache / "pipe")  # opening it would hang: it must never be opened
    cleaner = computer.cleaner(premium_gate, tree)

    report = cleaner.run(cleaner.preview().preview_id)

    assert _skipped(report) == {"pipe": SkipReason.SPECIAL_FILE}
    assert (cache / "pipe").exists() and not (cache / "E1").exists()


def test_a_folder_swapped_for_a_link_after_the_preview_is_left_alone(computer, premium_gate, tree):
    cache = computer.firefox_cache()
    names = ["E1", "E2", "E3"]
    for name in names:
        put(cache / "entries" / name)
        computer.canary(computer.outside / "decoy" / name)
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()

    shutil.move(cache / "entries", computer.outside / "moved")
    (cache / "entries").symlink_to(computer.outside / "decoy")
    report = cleaner.run(preview.preview_id)

    assert computer.damaged_canaries() == []
    assert sorted((computer.outside / "moved").iterdir()) != []
    assert _skipped(report) == {f"entries/{name}": SkipReason.CHANGED for name in names}
    assert report.freed_bytes == 0


def test_a_cache_folder_swapped_for_a_link_after_the_preview_is_left_alone(
    computer, premium_gate, tree
):
    cache = computer.firefox_cache()
    put(cache / "index")
    computer.canary(computer.outside / "decoy" / "index")
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()

    shutil.move(cache, computer.outside / "moved-cache")
    cache.symlink_to(computer.outside / "decoy")
    report = cleaner.run(preview.preview_id)

    firefox = next(root for root in report.roots if root.root_id.startswith("firefox"))
    assert firefox.status is RootStatus.CHANGED and firefox.deleted_count == 0
    assert computer.damaged_canaries() == []


def test_a_folder_swapped_for_a_link_while_the_cleanup_runs_is_left_alone(
    computer, premium_gate, tree
):
    cache = computer.firefox_cache()
    put(cache / "aaa-first")
    names = ["E1", "E2", "E3"]
    for name in names:
        put(cache / "entries" / name)
        computer.canary(computer.outside / "decoy" / name)
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()
    swapped = []

    def swap_after_the_first_file(progress) -> None:
        if progress.files_done == 1 and not swapped:
            shutil.move(cache / "entries", computer.outside / "moved")
            (cache / "entries").symlink_to(computer.outside / "decoy")
            swapped.append(True)

    report = cleaner.run(preview.preview_id, progress=swap_after_the_first_file)

    assert swapped and not (cache / "aaa-first").exists()
    assert computer.damaged_canaries() == []
    assert _skipped(report) == {f"entries/{name}": SkipReason.CHANGED for name in names}


def test_files_moved_out_of_the_folder_while_the_cleanup_runs_stay(computer, premium_gate, tree):
    cache = computer.firefox_cache()
    for name in ["E1", "E2", "E3"]:
        put(cache / "entries" / name)
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()

    def move_the_folder_after_one_file(progress) -> None:
        if progress.files_done == 1:
            shutil.move(cache / "entries", computer.outside / "kept")

    report = cleaner.run(preview.preview_id, progress=move_the_folder_after_one_file)

    assert sorted(p.name for p in (computer.outside / "kept").iterdir()) == ["E2", "E3"]
    assert report.deleted_count == 1
