"""One unit of work per request: service functions flush and never commit; the route,
socket handler, job or command that owns the work commits once (`agent_portal.unit_of_work`).

Read from the source, so that a commit in a service module fails here before it can split
a request's changes across transactions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.auth.errors import DuplicateUsername
from agent_portal.auth.models import ApiKey, PortalSession, StaffMember
from agent_portal.chat import topics
from agent_portal.chat.models import AgentTopic
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import utcnow
from isp_common.live_wire import Topic
from tests.support.portal_data import STAFF_PASSWORD, add_customer, database_session

PACKAGE = Path(__file__).resolve().parents[3] / "agent_portal"

# Domain modules that routes, handlers, jobs and commands call: they must not commit.
SERVICE_MODULES = sorted(
    {
        *PACKAGE.glob("*/service.py"),
        *(
            PACKAGE / name
            for name in (
                "attempts/flows.py",
                "auth/accounts.py",
                "auth/login.py",
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


# --- the same, on both databases -------------------------------------------------------


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    yield from database_session(database_url)


def _count(db_session: Session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_new_agent_and_their_chat_topics_are_stored_together_or_not_at_all(db_session):
    """Staff, sessions and keys (auth) and chat topics (chat) in one unit, as the demo data
    seeding makes them: a failure before the commit leaves none of them."""

    def set_up_agent():
        member = auth_service.create_staff(
            db_session=db_session, username="anna.berger", password=STAFF_PASSWORD, role="agent"
        )
        topics.set_topics(db_session=db_session, staff=member, topics=[Topic.internet])
        auth_service.create_session(
            db_session=db_session, staff=member, lifetime=timedelta(hours=1), now=utcnow()
        )
        auth_service.create_api_key(db_session=db_session, name="billing system")

    set_up_agent()
    db_session.rollback()  # the command failed after the services, before its commit
    assert [_count(db_session, model) for model in (StaffMember, PortalSession, ApiKey)] == [
        0,
        0,
        0,
    ]
    assert _count(db_session, AgentTopic) == 0

    set_up_agent()
    db_session.commit()  # the command got to its end
    assert [_count(db_session, model) for model in (StaffMember, PortalSession, ApiKey)] == [
        1,
        1,
        1,
    ]
    member = auth_service.get_staff_by_username(db_session=db_session, username="anna.berger")
    assert topics.topics_of(db_session=db_session, staff_id=member.id) == [Topic.internet]


def test_a_taken_user_name_refuses_only_the_new_member_and_keeps_the_rest_of_the_work(
    db_session,
):
    """A duplicate name stores nothing of that member; what the same unit did before it
    (another domain's change) is still committed by its owner."""
    auth_service.create_staff(
        db_session=db_session, username="anna.berger", password=STAFF_PASSWORD, role="agent"
    )
    db_session.commit()
    add_customer(db_session, "K-100234")  # commits: the customer is stored on its own
    customer = db_session.scalar(select(Customer))
    customer.name = "Erika Musterfrau"
    with pytest.raises(DuplicateUsername, match="already taken"):
        auth_service.create_staff(
            db_session=db_session, username="Anna.Berger", password=STAFF_PASSWORD, role="admin"
        )
    db_session.commit()
    assert _count(db_session, StaffMember) == 1
    assert db_session.scalar(select(Customer.name)) == "Erika Musterfrau"


def test_a_customer_saved_in_a_unit_that_fails_is_not_stored(db_session):
    """Saving a new customer takes a savepoint (a concurrent create of the same number may
    win). On SQLite that savepoint, after mere reads, once was the outermost transaction
    and its release committed: a unit that failed after it left the customer stored."""
    customers.save(
        db_session=db_session,
        account_number="K-100234",
        customer_in=CustomerIn(name="Erika Musterfrau", email="erika@example.net"),
        time_zone="Europe/Zurich",
    )
    db_session.rollback()  # the request failed after the service, before its commit
    assert _count(db_session, Customer) == 0

    customers.save(
        db_session=db_session,
        account_number="K-100234",
        customer_in=CustomerIn(name="Erika Musterfrau", email="erika@example.net"),
        time_zone="Europe/Zurich",
    )
    db_session.commit()
    assert db_session.scalar(select(Customer.name)) == "Erika Musterfrau"
