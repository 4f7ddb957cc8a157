"""The operating system's own answers, behind one interface (`PlatformBackend`).

The backend is chosen here, once, the way psutil picks ``_pslinux`` or ``_pswindows``;
no other module asks which OS it runs on.
"""

from __future__ import annotations

import sys

from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.platform.base import (
    BatteryHealth,
    PlatformBackend,
    ProcessDetails,
    ProcessSample,
    ProcessSampler,
)


def current_backend(
    runner: CommandRunner | None = None, command_timeout: float = 60.0
) -> PlatformBackend:
    runner = runner or CommandRunner()
    if sys.platform.startswith("linux"):
        from assistant.diagnostics.platform._linux import LinuxBackend

        return LinuxBackend(runner, command_timeout)
    if sys.platform == "win32":
        from assistant.diagnostics.platform._windows import WindowsBackend

        return WindowsBackend(runner, command_timeout)
    if sys.platform == "darwin":
        from assistant.diagnostics.platform._macos import MacOSBackend

        return MacOSBackend(runner, command_timeout)
    from assistant.diagnostics.platform._unsupported import UnsupportedBackend

    return UnsupportedBackend(runner, command_timeout)


__all__ = [
    "BatteryHealth",
    "PlatformBackend",
    "ProcessDetails",
    "ProcessSample",
    "ProcessSampler",
    "current_backend",
]
