"""A file an agent sends is saved on the customer's computer under a name that is safe on
Windows, macOS and Linux, inside the downloads folder, and never over another file: not
over one saved before, not over one that appears at the same moment, not through a link."""

from __future__ import annotations

import multiprocessing

import pytest
from pathvalidate import validate_filename

from assistant.export import save_file

HOSTILE_NAMES = [
    "..\\..\\evil.bat",
    "../../.bashrc",
    "CON",
    "NUL.txt",
    "a:b.txt",
    "a.txt:x",
    '<>:"|?*',
    "trailing dots...",
    "evil\u202efdp.exe",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_saved_inside_the_folder_under_a_safe_name(tmp_path, name):
    folder = tmp_path / "Downloads"
    path = save_file(folder, name, b"content")

    assert path.parent == folder and path.read_bytes() == b"content"
    validate_filename(path.name, platform="universal")
    assert not path.name.startswith(".") and "\u202e" not in path.name
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [path.name]


def test_the_same_name_twice_keeps_both_files(tmp_path):
    first = save_file(tmp_path, "steps.txt", b"first")
    second = save_file(tmp_path, "steps.txt", b"second")
    third = save_file(tmp_path, "steps.txt", b"third")

    assert [first.name, second.name, third.name] == ["steps.txt", "steps (2).txt", "steps (3).txt"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"first", b"second", b"third"]


def test_a_link_in_the_folder_is_never_written_through(tmp_path):
    # A link that points nowhere yet "does not exist" to a look before writing.
    folder = tmp_path / "Downloads"
    folder.mkdir()
    outside = tmp_path / "autostart.bat"
    (folder / "evil.bat").symlink_to(outside)

    path = save_file(folder, "evil.bat", b"payload")

    assert not outside.exists()
    assert path == folder / "evil (2).bat" and path.read_bytes() == b"payload"


def _save_when_all_are_ready(barrier, folder, number: int) -> None:
    barrier.wait()
    save_file(folder, "report.pdf", f"copy {number}".encode())


def test_files_saved_at_the_same_moment_never_overwrite_each_other(tmp_path):
    # Separate processes, so the saves truly run side by side; several rounds, because a
    # look-then-write loses a file in only some of them.
    processes_per_round, rounds = 8, 10
    fork = multiprocessing.get_context("fork")
    for round_number in range(rounds):
        folder = tmp_path / f"round-{round_number}"
        barrier = fork.Barrier(processes_per_round)
        processes = [
            fork.Process(target=_save_when_all_are_ready, args=(barrier, folder, number))
            for number in range(processes_per_round)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        contents = sorted(path.read_bytes() for path in folder.iterdir())
        assert contents == sorted(f"copy {n}".encode() for n in range(processes_per_round))
