"""The assistant's log folder: where the platform keeps logs, and a folder it cannot write
never keeps the assistant from starting (it says why on stderr and runs without a file).
What the log holds is tested in tests/assistant/premium/app/test_log.py."""

from __future__ import annotations

import re


def test_the_log_is_kept_in_the_platforms_state_folder(start_assistant, tmp_path):
    state = tmp_path / "state"
    assistant = start_assistant("--headless", "--lang", "en", XDG_STATE_HOME=str(state))
    with assistant.client() as client:
        assert client.get("/api/state").status_code == 200
    assert assistant.stop() == 0
    log = (state / "isp-assistant" / "log" / "assistant.log").read_text(encoding="utf-8")
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"
    made_key = r"INFO assistant\.premium\.device_keys \[\w+\]: made this computer's key pair"
    assert re.search(rf"^{stamp} {made_key}", log, re.M), log


def test_a_log_folder_it_cannot_write_leaves_it_running_without_a_file(start_assistant, tmp_path):
    blocked = tmp_path / "state"
    blocked.write_text("a file where the log folder would be")
    assistant = start_assistant("--headless", "--lang", "en", XDG_STATE_HOME=str(blocked))
    with assistant.client() as client:
        assert client.get("/api/state").status_code == 200
    assert assistant.stop() == 0
    assert f"no log file in {blocked / 'isp-assistant' / 'log'}" in assistant.errors()
