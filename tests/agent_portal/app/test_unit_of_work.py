"""One unit of work per request: service functions flush and never commit; the route,
socket handler, job or command that owns the work commits once (`agent_portal.unit_of_work`).

Read from the source, so that a commit in a service module fails here before it can split
a request's changes across transactions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "agent_portal"

# Domain modules that routes, handlers, jobs and commands call: they must not commit.
SERVICE_MODULES = sorted(
    {
        *PACKAGE.glob("*/service.py"),
        *(
            PACKAGE / name
            for name in (
                "attempts/flows.py",
                "chat/article_draft.py",
                "chat/fast_path.py",
                "chat/routing.py",
                "chat/tickets.py",
                "chat/topics.py",
                "customers/importer.py",
                "demo_data.py",
                "devices/credentials.py",
                "devices/release.py",
                "devices/tickets.py",
                "jobs/leases.py",
                "jobs/locks.py",
                "knowledge/seed.py",
                "realtime/presence.py",
                "unlock_codes/offline.py",
                "web/flash.py",
            )
        ),
    }
)

# The deliberate exceptions, each with its reason. Nothing else in SERVICE_MODULES commits.
ALLOWED_COMMITS = {
    # The attempt is reserved and committed before the secret is checked (sign-in, unlock
    # code, staff login): only a committed reservation is seen by parallel requests, which
    # keeps them within the limit. Called from inside the redeem and link services.
    "attempts/flows.py": "reserve_committed",
    # A job's lease and a cluster lock must be seen by the other workers at once: each is
    # a unit of its own, whatever the job does after.
    "jobs/leases.py": "leases",
    "jobs/locks.py": "advisory locks on their own connection",
    # A flash is written by `redirect`, a route's last step, together with the route's
    # work; a GET page deletes the entries it shows once as it draws them. Only routes
    # call either, as their last database step.
    "web/flash.py": "Flash.redirect, Flash._load",
    # The import is the unit of work of the import-customers command (its only caller) and
    # commits in batches: its report promises row by row what is stored, and a file found
    # unreadable halfway keeps the rows before it.
    "customers/importer.py": "import_customers, _Rows.import_line",
    # Not converted yet: staff accounts, portal sessions and API keys still commit in the
    # service (many callers); to be moved to their routes and commands.
    "auth/service.py": "create_staff, create_session, end_session, create_api_key, "
    "verify_api_key, revoke_api_key",
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _commits(path: Path) -> list[str]:
    """Where the module calls `.commit(` or takes a `commit` parameter."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"
        ):
            found.append(f"{_relative(path)}:{node.lineno} calls .commit()")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            for argument in arguments:
                if argument.arg == "commit":
                    found.append(f"{_relative(path)}:{node.lineno} {node.name} takes commit=")
    return found


def test_the_listed_modules_exist():
    missing = [_relative(path) for path in SERVICE_MODULES if not path.is_file()]
    assert missing == []
    assert len(SERVICE_MODULES) > 20


def test_service_modules_flush_and_never_commit():
    offending = [
        place
        for path in SERVICE_MODULES
        if _relative(path) not in ALLOWED_COMMITS
        for place in _commits(path)
    ]
    assert offending == [], "service functions flush; the route, handler or job commits"


def test_no_function_takes_a_commit_flag():
    """Whether to commit is the owner's decision alone, never a parameter."""
    flags = [
        place
        for path in PACKAGE.rglob("*.py")
        for place in _commits(path)
        if "takes commit=" in place
    ]
    assert flags == []


def test_every_allowed_exception_still_commits():
    """An exception that no longer commits comes off the list."""
    for name in ALLOWED_COMMITS:
        assert _commits(PACKAGE / name), f"{name} no longer commits: remove it from the list"
