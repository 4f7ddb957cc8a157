"""The customer's settings survive a restart, bad values are refused without harm, and a
damaged file never stops the assistant."""

from __future__ import annotations

import json

import pytest

from assistant.settings import Settings, SettingsError, SettingsStore, data_dir


def test_a_chosen_language_and_server_are_kept_across_restarts(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    store.update(language="en", server_url="https://support.example-isp.de")

    again = SettingsStore(tmp_path / "settings.json").load()

    assert again.language == "en"
    assert again.server_url == "https://support.example-isp.de"
    assert again.link == {}


def test_nothing_chosen_yet_means_defaults(tmp_path):
    assert SettingsStore(tmp_path / "settings.json").load() == Settings()


@pytest.mark.parametrize(
    "change",
    [{"language": "fr"}, {"server_url": "ftp://example.org"}, {"colour": "blue"}],
)
def test_a_bad_value_is_refused_and_the_file_keeps_what_it_had(tmp_path, change):
    store = SettingsStore(tmp_path / "settings.json")
    store.update(language="de")
    before = (tmp_path / "settings.json").read_bytes()

    with pytest.raises(SettingsError):
        store.update(**change)

    assert (tmp_path / "settings.json").read_bytes() == before
    assert store.load().language == "de"


def test_a_damaged_file_gives_defaults_and_the_next_change_repairs_it(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{ this is not json", encoding="utf-8")
    store = SettingsStore(path)

    assert store.load() == Settings()
    store.update(language="en")
    assert json.loads(path.read_text(encoding="utf-8"))["language"] == "en"


def test_the_data_folder_can_be_chosen_by_environment(tmp_path):
    folder = tmp_path / "portable" / "assistant"
    assert data_dir({"ISP_ASSISTANT_DATA_DIR": str(folder)}) == folder
    assert folder.is_dir()


def test_the_privacy_list_is_kept_tidy_and_a_bad_one_changes_nothing(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    assert store.load().privacy_titles is None  # the assistant's own list until changed
    store.update(privacy_titles=[" Online-Banking ", "", "online-banking", "Steuer"])
    assert SettingsStore(tmp_path / "settings.json").load().privacy_titles == [
        "Online-Banking",
        "Steuer",
    ]
    for bad in ("Online-Banking", [1, 2], ["x" * 101], [f"t{n}" for n in range(51)]):
        with pytest.raises(SettingsError):
            store.update(privacy_titles=bad)
    assert store.load().privacy_titles == ["Online-Banking", "Steuer"]
    store.update(privacy_titles=None)
    assert store.load().privacy_titles is None
