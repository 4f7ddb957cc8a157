"""`agent-portal <command>` run inside the test's own process: its exit status, what it
printed and what it stored, without the seconds a new Python process takes to start on a
busy machine. Each family of commands keeps one test that runs the real program (marked
`subprocess`), the way an operator runs it.

    result = run_portal_command(settings, "set-topics", "anna.berger", "wifi")
    result.returncode, result.stdout, result.stderr
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from unittest import mock

from agent_portal.cli import main


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


def run_portal_command(settings, *args: str, stdin: str = "") -> CommandResult:
    """Runs the command on the database and data folder of `settings`, with `stdin` as
    its input (a pipe, not a terminal)."""
    environ = {
        "PORTAL_DATABASE_URL": settings.database_url,
        "PORTAL_DATA_DIR": str(settings.data_dir),
    }
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, environ),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            returncode = main(list(args))
        except SystemExit as exit_:  # argparse refuses the arguments
            returncode = exit_.code if isinstance(exit_.code, int) else 1
    return CommandResult(returncode, out.getvalue(), err.getvalue())
