"""Cleanup as the customer sees it: a preview, then exactly that is deleted, with progress;
files in use and open browsers are left alone and named."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import timedelta

import pytest

from assistant.i18n import translator
from assistant.premium import texts
from assistant.premium.cleanup import (
    Anchor,
    Browser,
    RootKind,
    RootStatus,
    SkipReason,
    _linux,
    _macos,
    _windows,
)
from assistant.premium.errors import FeatureLocked, PreviewNotFound, UnknownCleanupRoot
from isp_common.clock import utc_now
from tests.support.premium_keys import SetClock, put

FIREFOX = "firefox_cache:abc.default-release"
CHROME = "chrome_cache:Default"


@pytest.fixture
def caches(computer):
    """Ordinary old cache and temp files, with their sizes."""
    sizes = {
        computer.firefox_cache() / "entries" / "A1B2": 1000,
        computer.firefox_cache() / "entries" / "C3D4": 2000,
        computer.firefox_cache() / "index": 300,
        computer.chrome_cache() / "Cache_Data" / "f_000001": 4096,
        computer.chrome_cache() / "Cache_Data" / "data_0": 8192,
        computer.home / ".cache" / "thumbnails" / "normal" / "3f2a.png": 500,
        computer.temp / "setup-1234.tmp": 700,
    }
    for path, size in sizes.items():
        put(path, b"c" * size)
    (computer.firefox_cache() / "doomed").mkdir()
    return sizes


@pytest.fixture
def firefox_running(tmp_path):
    """A real process named like the browser: a copy of `sleep` called firefox."""
    program = tmp_path / "bin" / "firefox"
    program.parent.mkdir()
    shutil.copy2(shutil.which("sleep"), program)
    process = subprocess.Popen([str(program), "600"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def german():
    token = translator.language.set("de")
    yield
    translator.language.reset(token)


def test_the_preview_shows_what_where_and_how_much(computer, caches, premium_gate, tree):
    preview = computer.cleaner(premium_gate, tree).preview()

    roots = {root.root_id: root for root in preview.roots}
    assert set(roots) == {FIREFOX, CHROME, "thumbnails", "temp_files"}
    assert (roots[FIREFOX].file_count, roots[FIREFOX].total_bytes) == (3, 3300)
    assert (roots[CHROME].file_count, roots[CHROME].total_bytes) == (2, 12288)
    assert roots[CHROME].location == "~/.cache/google-chrome/Default/Cache"
    assert roots[CHROME].browser == "Google Chrome"
    assert roots["temp_files"].kind is RootKind.TEMP_FILES
    assert (preview.file_count, preview.total_bytes) == (7, sum(caches.values()))
    assert all(path.exists() for path in caches)  # a preview deletes nothing


def test_what_the_preview_showed_is_what_gets_deleted_with_steady_progress(
    computer, caches, premium_gate, tree
):
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()
    steps = []

    report = cleaner.run(preview.preview_id, progress=steps.append)

    assert not any(path.exists() for path in caches)
    assert computer.firefox_cache().is_dir() and computer.damaged_canaries() == []
    freed = {root.root_id: (root.deleted_count, root.freed_bytes) for root in report.roots}
    assert freed == {root.root_id: (root.file_count, root.total_bytes) for root in preview.roots}
    assert report.freed_bytes == preview.total_bytes and report.skipped_count == 0
    assert steps[0].files_done == 0 and steps[0].files_total == preview.file_count
    assert [s.files_done for s in steps] == list(range(preview.file_count + 1))
    assert all(a.bytes_freed <= b.bytes_freed for a, b in zip(steps, steps[1:], strict=False))
    assert steps[-1].bytes_freed == preview.total_bytes


def test_files_that_appear_after_the_preview_are_not_deleted(computer, caches, premium_gate, tree):
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()
    newcomer = put(computer.firefox_cache() / "entries" / "NEW1")

    cleaner.run(preview.preview_id)

    assert newcomer.exists()


def test_only_the_confirmed_places_are_cleaned(computer, caches, premium_gate, tree):
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()

    report = cleaner.run(preview.preview_id, [CHROME])

    assert [root.root_id for root in report.roots] == [CHROME]
    assert not (computer.chrome_cache() / "Cache_Data" / "data_0").exists()
    assert (computer.firefox_cache() / "index").exists()
    assert (computer.temp / "setup-1234.tmp").exists()


def test_the_cleanup_takes_back_only_ids_of_a_fresh_preview(computer, caches, premium_gate, tree):
    clock = SetClock(utc_now())
    cleaner = computer.cleaner(premium_gate, tree, clock=clock)
    preview = cleaner.preview()

    with pytest.raises(UnknownCleanupRoot):
        cleaner.run(preview.preview_id, [str(computer.home / "Documents")])
    with pytest.raises(PreviewNotFound):
        cleaner.run("a-made-up-id")
    cleaner.run(preview.preview_id, [CHROME])
    with pytest.raises(PreviewNotFound):
        cleaner.run(preview.preview_id, [FIREFOX])  # carried out already
    stale = cleaner.preview()
    clock.advance(timedelta(minutes=31))
    with pytest.raises(PreviewNotFound):
        cleaner.run(stale.preview_id)
    assert (computer.firefox_cache() / "index").exists()
    assert computer.damaged_canaries() == []


def test_files_in_use_or_just_written_are_skipped_with_a_reason(
    computer, caches, premium_gate, tree
):
    cache = computer.firefox_cache() / "entries"
    held = put(cache / "held-open")
    fresh = put(cache / "being-written", mtime=None)
    opened_later = put(cache / "opened-later")
    touched_later = put(cache / "touched-later")
    cleaner = computer.cleaner(premium_gate, tree)
    with held.open("rb"):
        preview = cleaner.preview()
        firefox = next(root for root in preview.roots if root.root_id == FIREFOX)
        assert firefox.skipped_by_reason == {
            SkipReason.IN_USE: 1,
            SkipReason.RECENTLY_MODIFIED: 1,
        }
        os.utime(touched_later)  # a program writes to it after the preview
        with opened_later.open("rb"):
            report = cleaner.run(preview.preview_id)

    assert all(path.exists() for path in (held, fresh, opened_later, touched_later))
    skipped = {item.path: item.reason for item in report.skipped}
    assert skipped == {
        "entries/held-open": SkipReason.IN_USE,
        "entries/being-written": SkipReason.RECENTLY_MODIFIED,
        "entries/opened-later": SkipReason.IN_USE,
        "entries/touched-later": SkipReason.RECENTLY_MODIFIED,
    }
    assert not (cache / "A1B2").exists()


def test_a_running_browser_is_named_and_its_cache_left_alone(
    computer, caches, premium_gate, tree, firefox_running, german
):
    cleaner = computer.cleaner(premium_gate, tree)

    preview = cleaner.preview()
    firefox = next(root for root in preview.roots if root.root_id == FIREFOX)
    report = cleaner.run(preview.preview_id, [FIREFOX, CHROME])

    assert firefox.status is RootStatus.BROWSER_RUNNING and firefox.browser == "Firefox"
    assert firefox.file_count == 0
    assert texts.root_status_text(firefox) == (
        "Firefox ist geöffnet. Bitte schließen Sie Firefox, "
        "damit der Zwischenspeicher bereinigt werden kann."
    )
    assert (computer.firefox_cache() / "index").exists()
    assert not (computer.chrome_cache() / "Cache_Data" / "data_0").exists()
    statuses = {root.root_id: root.status for root in report.roots}
    assert statuses == {FIREFOX: RootStatus.BROWSER_RUNNING, CHROME: RootStatus.CLEANED}


def test_a_browser_opened_after_the_preview_keeps_its_cache(
    computer, caches, premium_gate, tree, request
):
    cleaner = computer.cleaner(premium_gate, tree)
    preview = cleaner.preview()
    assert next(r for r in preview.roots if r.root_id == FIREFOX).status is RootStatus.READY

    request.getfixturevalue("firefox_running")
    report = cleaner.run(preview.preview_id)

    firefox = next(root for root in report.roots if root.root_id == FIREFOX)
    assert firefox.status is RootStatus.BROWSER_RUNNING and firefox.deleted_count == 0
    assert (computer.firefox_cache() / "entries" / "A1B2").exists()


def test_the_temp_folder_keeps_what_is_younger_than_a_day(computer, premium_gate, tree):
    old = put(computer.temp / "old" / "installer.log")
    young = put(computer.temp / "young.tmp", mtime=time.time() - 3 * 3600)
    cleaner = computer.cleaner(premium_gate, tree)

    report = cleaner.run(cleaner.preview().preview_id)

    assert not old.exists() and young.exists()
    assert {item.path: item.reason for item in report.skipped} == {
        "young.tmp": SkipReason.RECENTLY_MODIFIED
    }


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_other_users_files_in_the_temp_folder_stay(computer, premium_gate, tree):
    theirs = put(computer.temp / "someone-elses.tmp")
    os.chown(theirs, 12345, 12345)
    cleaner = computer.cleaner(premium_gate, tree)

    report = cleaner.run(cleaner.preview().preview_id)

    assert theirs.exists()
    assert [item.reason for item in report.skipped] == [SkipReason.NOT_OWNED]


def test_without_premium_the_cleanup_does_nothing(computer, caches, gate, tree):
    cleaner = computer.cleaner(gate, tree)

    with pytest.raises(FeatureLocked) as locked:
        cleaner.preview()

    assert locked.value.reason == "no_entitlement"
    assert all(path.exists() for path in caches)


@pytest.mark.parametrize("backend", [_linux, _windows, _macos], ids=["linux", "windows", "macos"])
def test_every_os_lists_temp_files_and_browser_caches_only_inside_cache_folders(backend):
    keys = {root.key for root in backend.ROOTS}
    browsers = {root.browser for root in backend.ROOTS if root.browser}

    assert "temp_files" in keys
    assert {Browser.CHROME, Browser.CHROMIUM, Browser.EDGE, Browser.FIREFOX} <= browsers
    assert (Browser.SAFARI in browsers) == (backend is _macos)
    for root in backend.ROOTS:
        if root.anchor is not Anchor.TEMP:
            # Never the home folder itself: always a cache folder below it.
            assert len(root.parts) >= 2 and root.parts[-1] != "*"
            assert any("cache" in part.lower() for part in root.parts)
        assert all(part not in ("", ".", "..") for part in root.parts)
    for browser in browsers:
        assert backend.BROWSER_PROCESSES[browser]
