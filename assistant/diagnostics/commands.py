"""Running the operating system's own tools (netsh, smartctl, apt-get ...) safely.

A check that runs a program gives it a deadline; when the deadline passes or the check is
cancelled, the program and everything it started are killed, so nothing outlives the run:
psutil finds the descendants on every OS (killing a process on Windows leaves its children
running, and a child that made a session of its own escapes a kill of the process group).
The runner is handed to the OS backends by their constructors; its ``path`` decides which
programs exist, which is how tests make a tool "not installed" for real.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass

import psutil

from assistant.diagnostics.errors import ToolMissing
from assistant.diagnostics.texts import N_


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Both streams: several tools (softwareupdate, smartctl) split their answer."""
        return self.stdout + ("\n" + self.stderr if self.stderr else "")


def decode_output(raw: bytes) -> str:
    """Console programs on Windows write in the OEM code page (cp850 in Germany), not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("oem", "cp850"):
        try:
            codecs.lookup(encoding)  # "oem" exists only on Windows
        except LookupError:
            continue
        return raw.decode(encoding, errors="replace")
    return raw.decode("latin-1")


class CommandRunner:
    """Finds and runs programs, each with a deadline."""

    def __init__(self, path: str | None = None, env: dict[str, str] | None = None) -> None:
        self.path = path if path is not None else os.environ.get("PATH", os.defpath)
        base = dict(os.environ if env is None else env)
        base["PATH"] = self.path
        # English, machine-readable output where the tool honours it (apt, nft, ufw).
        base.setdefault("LC_ALL", "C")
        self.env = base

    def which(self, program: str) -> str | None:
        return shutil.which(program, path=self.path)

    def require(self, program: str) -> str:
        found = self.which(program)
        if found is None:
            raise ToolMissing(N_("The program {program} is not installed."), program=program)
        return found

    async def run(self, argv: list[str], *, timeout: float) -> CommandResult:
        """Runs ``argv`` and returns what it printed; raises `ToolMissing` if not installed.

        A non-zero exit status is returned, not raised: several tools use it for answers
        (``dnf check-update`` exits 100 when updates are pending).
        """
        executable = self.require(argv[0])
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            # A GUI app must not flash a console window for every command.
            kwargs["creationflags"] = subprocess.CREATE_NO_WINDOW
        else:
            kwargs["start_new_session"] = True  # so the whole group can be killed
        process = await asyncio.create_subprocess_exec(
            executable,
            *argv[1:],
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.env,
            **kwargs,
        )
        # Taken now, while the pid surely is the program's: psutil then refuses to signal
        # another process that got the same pid after the program ended.
        handle = _process_handle(process.pid)
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
        except BaseException:  # timeout or the check was cancelled: leave nothing behind
            _kill(process, handle)
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(process.wait(), 2)
            raise
        return CommandResult(
            tuple(argv), process.returncode or 0, decode_output(stdout), decode_output(stderr)
        )


def _process_handle(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.Error:  # already gone
        return None


def _kill(process: asyncio.subprocess.Process, handle: psutil.Process | None) -> None:
    if process.returncode is None and handle is not None:
        kill_tree(handle)
    if hasattr(os, "killpg"):
        # Also what is left in the program's process group after its parent ended (and
        # so is no longer found as a descendant). The group's id is not given to another
        # process while a member lives.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def kill_tree(root: psutil.Process) -> None:
    """Kills ``root`` and all its descendants.

    Each is suspended before the next look at the tree, so none can start another
    process between the listing and the kill.
    """
    found = {root.pid: root}
    _quietly(root.suspend)
    while True:
        try:
            new = [child for child in root.children(recursive=True) if child.pid not in found]
        except psutil.Error:  # root has gone: its descendants were listed up to here
            new = []
        if not new:
            break
        for child in new:
            found[child.pid] = child
            _quietly(child.suspend)
    for member in found.values():
        _quietly(member.kill)


def _quietly(action) -> None:
    """A process that ended meanwhile (or is not ours to signal) is left as it is."""
    with contextlib.suppress(psutil.Error):
        action()
