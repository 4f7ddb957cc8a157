"""Cleanup through the assistant's page, on a home and temp folder of the test's own: the
preview shows what, where and how much (and names the open browser it leaves alone), the
customer chooses, the progress reaches 100 %, and the report says what was freed and what
stayed and why. Only files the preview showed in the chosen places are gone."""

from __future__ import annotations

import pytest

from tests.assistant.premium.app.support import DAY, open_assistant, open_view
from tests.support.premium_portal import PASSWORD, provision

pytestmark = pytest.mark.browser

FIREFOX = "firefox_cache:abc.default-release"
CHROMIUM = "chromium_cache:Default"


def test_cleanup_previews_deletes_the_chosen_places_and_reports(
    portal, keys, api, computer, start_assistant, narrow_page, output_dir, database_url
):
    page = narrow_page
    home, temp = computer.home, computer.temp
    profile = home / ".cache" / "mozilla" / "firefox" / "abc.default-release"
    doomed = [
        computer.put(profile / "cache2" / "entries" / "A1B2", 1000),
        computer.put(profile / "cache2" / "entries" / "C3D4", 2000),
        computer.put(profile / "cache2" / "index", 300),
        computer.put(temp / "setup-1234.tmp", 700, age_seconds=3 * DAY),
    ]
    kept = [
        # Chromium is open (this test's own browser), so its cache is left alone.
        computer.put(home / ".cache" / "chromium" / "Default" / "Cache" / "data_0", 4096),
        # Not chosen by the customer.
        computer.put(home / ".cache" / "thumbnails" / "normal" / "3f2a.png", 500),
        # Changed a minute ago: a program may still need it.
        computer.put(temp / "download.part", 800, age_seconds=60),
        # Outside every cleanup place.
        computer.put(home / "Documents" / "letter.txt", 900),
        computer.put(profile / "prefs.js", 400),
    ]
    provision(api, "K-100234", tier="premium")
    assistant = start_assistant(portal.url, pin=keys)
    with assistant.client() as client:
        signed_in = client.post(
            "/api/premium/sign-in",
            json={"account_number": "K-100234", "password": PASSWORD, "device_name": "PC"},
        )
        assert signed_in.status_code == 200, signed_in.text
    open_assistant(page, assistant)

    open_view(page, "cleanup")
    page.get_by_role("button", name="Look for files to clean up").click()
    page.wait_for_selector("#cleanup-preview:not([hidden])")
    assert page.inner_text("#cleanup-total") == "4.5 kB can be freed."
    firefox = page.locator(f"[data-root='{FIREFOX}']")
    assert "Cache of Firefox" in firefox.inner_text()
    assert "Files: 3 · 3.3 kB" in firefox.inner_text()
    assert "Folder: ~/.cache/mozilla/firefox/abc.default-release/cache2" in firefox.inner_text()
    chromium = page.locator(f"[data-root='{CHROMIUM}']")
    assert "Chromium is open. Please close Chromium so its cache can be cleaned up." in (
        chromium.inner_text()
    )
    assert chromium.locator("input").is_disabled()
    temp_files = page.locator("[data-root='temp_files']")
    assert "Files: 1 · 700 bytes" in temp_files.inner_text()
    assert "Kept (1): Changed only recently and may still be needed." in temp_files.inner_text()
    page.get_by_label("Thumbnails").uncheck()
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "cleanup-preview.png", full_page=True)

    page.get_by_role("button", name="Clean up the chosen places").click()
    page.wait_for_selector("#cleanup-report:not([hidden])")
    assert page.get_attribute("#cleanup-bar", "aria-valuenow") == "100"
    assert page.inner_text("#cleanup-done-title") == "Done: 4 kB freed"
    report = page.inner_text("#cleanup-report")
    assert "Deleted files: 3 · freed: 3.3 kB" in report
    assert "Deleted files: 1 · freed: 700 bytes" in report
    assert "Left alone (1): Changed only recently and may still be needed." in report
    page.get_by_text("Show the files (1)").click()
    assert "Temporary files: download.part — Changed only recently and may still be" in (
        page.inner_text("#cleanup-skipped-files")
    )
    assert "Thumbnails" not in report
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "cleanup-report.png", full_page=True)

    assert not [path for path in doomed if path.exists()]
    assert all(path.exists() for path in kept)
    assert (profile / "cache2" / "entries").is_dir()  # files go, folders stay
