"""The admins' staff pages over real HTTP: accounts created with an initial password shown
once, role and topics changed, accounts deactivated and reactivated, passwords reset;
every change in the audit log with the admin's name; bad input refused with the reason,
storing nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select

from agent_portal.audit.models import AuditEntry
from agent_portal.auth import service
from agent_portal.auth.models import PortalSession, StaffMember
from agent_portal.chat import topics
from tests.agent_portal.auth.accounts import ENGLISH, PASSWORD, log_in, page_error, page_notice
from tests.support.portal_data import TLS_CHECK

STAFF_PAGE = "/portal/admin/staff"
INITIAL_PASSWORD = re.compile(r'data-testid="initial-password"[^>]*value="([^"]+)"')


@pytest.fixture
def admin(client_for, database):
    client = client_for("admin")
    client.csrf = database.csrf_token_of(client)
    return client


def post(client: httpx.Client, path: str, data: dict | None = None) -> httpx.Response:
    return client.post(path, data={"csrf_token": client.csrf, **(data or {})})


def member(database, username: str) -> StaffMember | None:
    with database.session() as db_session:
        return service.get_staff_by_username(db_session=db_session, username=username)


def audit(database, event: str) -> list[AuditEntry]:
    with database.session() as db_session:
        return list(
            db_session.scalars(
                select(AuditEntry).where(AuditEntry.event == event).order_by(AuditEntry.id)
            )
        )


def sessions_of(database, staff_id: int) -> int:
    with database.session() as db_session:
        return db_session.scalar(
            select(func.count())
            .select_from(PortalSession)
            .where(PortalSession.staff_id == staff_id)
        )


def create(admin, **fields) -> httpx.Response:
    form = {"username": "anna.berger", "display_name": "Anna Berger", "role": "agent"}
    return post(admin, STAFF_PAGE, {**form, **fields})


def test_an_admin_creates_an_agent_with_a_generated_password_shown_once(admin, database, portal):
    answer = create(admin, topics=["wifi", "email"])

    anna = member(database, "anna.berger")
    assert anna is not None
    assert (answer.status_code, answer.headers["location"]) == (303, f"{STAFF_PAGE}/{anna.id}")
    assert "password" not in answer.headers["location"]
    page = admin.get(answer.headers["location"])
    assert page.headers["cache-control"] == "no-store"
    assert "has been created" in page_notice(page.text)
    (initial,) = INITIAL_PASSWORD.findall(page.text)
    assert len(initial) >= service.MIN_PASSWORD_LENGTH
    assert (anna.role, anna.display_name, anna.must_change_password) == (
        "agent",
        "Anna Berger",
        True,
    )
    with database.session() as db_session:
        assert [t.value for t in topics.topics_of(db_session=db_session, staff_id=anna.id)] == [
            "wifi",
            "email",
        ]
    # Shown once: the next load of the page no longer has it.
    assert INITIAL_PASSWORD.findall(admin.get(answer.headers["location"]).text) == []

    (entry,) = audit(database, "staff_created")
    assert (entry.actor_kind, entry.actor_name) == ("staff", "Admin Tester")
    assert entry.data["username"] == "anna.berger" and entry.data["role"] == "agent"
    assert initial not in str(entry.data)  # never a password in the log

    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as browser:
        assert log_in(browser, "anna.berger", initial).status_code == 303


def test_an_admin_may_set_the_initial_password_within_the_password_rules(admin, database):
    refused = create(admin, password="short")
    assert refused.status_code == 400
    assert page_error(refused.text) == (
        "The password is too short: it needs at least 10 characters."
    )
    assert member(database, "anna.berger") is None

    answer = create(admin, password="a chosen first password")
    assert answer.status_code == 303
    page = admin.get(answer.headers["location"])
    assert INITIAL_PASSWORD.findall(page.text) == ["a chosen first password"]
    assert member(database, "anna.berger").must_change_password


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"username": "a b"},
            "The user name “a b” is not valid: use 2 to 64 letters a-z, digits, dots, dashes "
            "or underscores, starting with a letter or digit.",
        ),
        ({"username": ""}, "Enter a user name."),
        ({"display_name": "   "}, "Enter the name colleagues see, e.g. Anna Berger."),
        ({"display_name": "A" * 101}, "The name is too long: at most 100 characters, not 101."),
        ({"role": "boss"}, "The role “boss” does not exist; choose agent, expert or admin."),
        (
            {"topics": ["wifi", "weather"]},
            "Unknown topic: weather. The topics are: internet, wifi, email, computer, "
            "security, contract.",
        ),
        (
            {"role": "expert", "topics": ["wifi"]},
            "Experts take no chats: clear the chat topics, or choose another role.",
        ),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_is_stored(
    admin, database, fields, message
):
    answer = create(admin, **fields)
    assert answer.status_code == 400
    assert page_error(answer.text) == message
    # What was typed is still in the form.
    if fields.get("display_name", "").strip():
        assert fields["display_name"] in answer.text
    with database.session() as db_session:
        assert len(service.list_staff(db_session=db_session)) == 1  # the admin alone
    assert audit(database, "staff_created") == []


def test_a_taken_user_name_is_refused_whatever_its_case(admin, database):
    database.create_staff("anna.berger", "expert")
    answer = create(admin, username="Anna.Berger")
    assert answer.status_code == 400
    assert page_error(answer.text) == "The user name anna.berger is already taken."
    assert member(database, "anna.berger").role == "expert"


def test_the_list_shows_each_member_with_role_topics_status_and_last_login(admin, database):
    bert = database.create_staff("bert", "agent", display_name="Bert Berger")
    database.create_staff("carla", "expert", display_name="Carla Cortés")
    with database.session() as db_session:
        db_session.get(StaffMember, bert.id).last_login_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        db_session.get(StaffMember, bert.id).is_active = False
        topics.set_topics(
            db_session=db_session,
            staff=db_session.get(StaffMember, bert.id),
            topics=topics.parse_topics(["internet"]),
        )
        db_session.commit()

    english = admin.get(STAFF_PAGE)
    assert english.status_code == 200
    row = re.search(r'<tr data-username="bert">(.*?)</tr>', english.text, re.S).group(1)
    for text in ("Bert Berger", "Hotline agent", "Internet connection", "deactivated"):
        assert text in row
    assert "Jan 5, 2026, 11:00" in row  # Berlin, an hour ahead of UTC in January
    carla = re.search(r'<tr data-username="carla">(.*?)</tr>', english.text, re.S).group(1)
    assert "Expert" in carla and "never" in carla and "active" in carla

    german = admin.get(f"{STAFF_PAGE}?lang=de").text
    row = re.search(r'<tr data-username="bert">(.*?)</tr>', german, re.S).group(1)
    assert "05.01.2026, 11:00" in row and "deaktiviert" in row and "Internetverbindung" in row


def test_a_role_change_takes_effect_with_the_next_request(admin, database, client_for):
    agent = client_for("agent")
    agent_member = member(database, "agent2")
    assert agent.get("/portal/inbox").status_code == 200

    answer = post(
        admin,
        f"{STAFF_PAGE}/{agent_member.id}",
        {"display_name": "Agent Tester", "role": "expert"},
    )
    assert answer.status_code == 303
    assert page_notice(admin.get(answer.headers["location"]).text) == (
        "The changes to Agent Tester have been saved."
    )
    assert agent.get("/portal/inbox").status_code == 403
    (entry,) = audit(database, "staff_role_changed")
    assert entry.actor_name == "Admin Tester"
    assert (entry.data["old_role"], entry.data["role"]) == ("agent", "expert")


def test_topics_and_the_name_are_changed_and_logged(admin, database):
    bert = database.create_staff("bert", "agent", display_name="Bert")
    answer = post(
        admin,
        f"{STAFF_PAGE}/{bert.id}",
        {"display_name": "Bert Berger", "role": "agent", "topics": ["security", "wifi"]},
    )
    assert answer.status_code == 303
    with database.session() as db_session:
        chosen = topics.topics_of(db_session=db_session, staff_id=bert.id)
    assert [topic.value for topic in chosen] == ["wifi", "security"]
    assert member(database, "bert").display_name == "Bert Berger"
    (renamed,) = audit(database, "staff_renamed")
    assert (renamed.data["old_name"], renamed.data["display_name"]) == ("Bert", "Bert Berger")
    (topics_entry,) = audit(database, "staff_topics_changed")
    assert topics_entry.data["topics"] == ["wifi", "security"]
    # Nothing changed, nothing logged.
    post(
        admin,
        f"{STAFF_PAGE}/{bert.id}",
        {"display_name": "Bert Berger", "role": "agent", "topics": ["security", "wifi"]},
    )
    assert len(audit(database, "staff_topics_changed")) == 1
    assert audit(database, "staff_role_changed") == []


def test_a_new_e_mail_address_is_logged_with_the_old_one(admin, database):
    """An address is where a new password may go: who changed it, and from what, is in
    the audit log; saving the same address again logs nothing."""
    bert = database.create_staff("bert", "agent", display_name="Bert")
    form = {"display_name": "Bert", "role": "agent", "email": "bert@isp.example"}
    assert post(admin, f"{STAFF_PAGE}/{bert.id}", form).status_code == 303
    form["email"] = "Bert.Berger@isp.example"
    assert post(admin, f"{STAFF_PAGE}/{bert.id}", form).status_code == 303
    assert post(admin, f"{STAFF_PAGE}/{bert.id}", form).status_code == 303
    first, second = audit(database, "staff_email_changed")
    assert (first.data["old_email"], first.data["email"]) == (None, "bert@isp.example")
    assert (second.data["old_email"], second.data["email"]) == (
        "bert@isp.example",
        "Bert.Berger@isp.example",
    )
    assert second.actor_name == "Admin Tester"
    assert audit(database, "staff_renamed") == []


def test_a_change_with_a_bad_value_changes_nothing(admin, database):
    bert = database.create_staff("bert", "agent", display_name="Bert")
    answer = post(
        admin,
        f"{STAFF_PAGE}/{bert.id}",
        {"display_name": "Bert Berger", "role": "expert", "topics": ["wifi"]},
    )
    assert answer.status_code == 400
    assert page_error(answer.text) == (
        "Experts take no chats: clear the chat topics, or choose another role."
    )
    assert (member(database, "bert").role, member(database, "bert").display_name) == (
        "agent",
        "Bert",
    )


def test_a_member_s_e_mail_is_set_shown_refused_when_invalid_and_cleared(admin, database):
    bert = database.create_staff("bert", "agent", display_name="Bert")
    page = f"{STAFF_PAGE}/{bert.id}"
    fields = {"display_name": "Bert", "role": "agent"}
    assert post(admin, page, {**fields, "email": " Bert@ISP.example.net "}).status_code == 303
    assert member(database, "bert").email == "Bert@isp.example.net"
    assert 'value="Bert@isp.example.net"' in admin.get(page).text
    refused = post(admin, page, {**fields, "email": "bert@"})
    assert refused.status_code == 400
    assert page_error(refused.text).startswith("The e-mail address “bert@” is not valid")
    assert member(database, "bert").email == "Bert@isp.example.net"
    assert post(admin, page, {**fields, "email": ""}).status_code == 303
    assert member(database, "bert").email is None


def test_deactivation_ends_the_members_sessions_and_reactivation_lets_them_in(
    admin, database, client_for, portal
):
    agent = client_for("agent")
    agent_member = member(database, "agent2")
    assert agent.get("/portal/customers").status_code == 200

    answer = post(admin, f"{STAFF_PAGE}/{agent_member.id}/deactivate")
    assert answer.status_code == 303
    assert page_notice(admin.get(answer.headers["location"]).text) == (
        "Agent Tester has been deactivated and logged out everywhere."
    )
    assert sessions_of(database, agent_member.id) == 0
    next_request = agent.get("/portal/customers")
    assert (next_request.status_code, next_request.headers["location"]) == (
        303,
        "/login?next=%2Fportal%2Fcustomers",
    )
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as browser:
        assert log_in(browser, "agent2").status_code == 401

    post(admin, f"{STAFF_PAGE}/{agent_member.id}/reactivate")
    assert member(database, "agent2").is_active
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as browser:
        assert log_in(browser, "agent2").status_code == 303
    assert [e.actor_name for e in audit(database, "staff_deactivated")] == ["Admin Tester"]
    assert [e.data["username"] for e in audit(database, "staff_reactivated")] == ["agent2"]


def test_an_admin_cannot_deactivate_themselves(admin, database):
    me = member(database, "admin1")
    answer = post(admin, f"{STAFF_PAGE}/{me.id}/deactivate")
    assert answer.status_code == 400
    assert page_error(answer.text) == "You cannot deactivate your own account."
    assert member(database, "admin1").is_active
    assert admin.get(STAFF_PAGE).status_code == 200


def test_the_last_active_admin_keeps_the_role(admin, database, client_for):
    me = member(database, "admin1")
    answer = post(admin, f"{STAFF_PAGE}/{me.id}", {"display_name": "Admin Tester", "role": "agent"})
    assert answer.status_code == 400
    assert page_error(answer.text) == (
        "Admin Tester is the last active administrator: make another administrator first."
    )
    assert member(database, "admin1").role == "admin"

    # With a second admin there, one may step down (and loses the admin pages at once).
    client_for("admin")
    answer = post(admin, f"{STAFF_PAGE}/{me.id}", {"display_name": "Admin Tester", "role": "agent"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
    assert member(database, "admin1").role == "agent"
    assert admin.get(STAFF_PAGE).status_code == 403


def test_a_password_reset_gives_a_new_initial_password_and_ends_the_sessions(
    admin, database, client_for, portal
):
    agent = client_for("agent")
    agent_member = member(database, "agent2")

    answer = post(admin, f"{STAFF_PAGE}/{agent_member.id}/password")
    assert answer.status_code == 303
    page = admin.get(answer.headers["location"])
    (initial,) = INITIAL_PASSWORD.findall(page.text)
    assert sessions_of(database, agent_member.id) == 0
    assert agent.get("/portal/customers").status_code == 303  # to the login page
    assert member(database, "agent2").must_change_password
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as browser:
        assert log_in(browser, "agent2", PASSWORD).status_code == 401
        assert log_in(browser, "agent2", initial).status_code == 303
        assert browser.get("/portal/customers").headers["location"].startswith("/portal/password")
    (entry,) = audit(database, "staff_password_reset")
    assert entry.actor_name == "Admin Tester" and entry.data["username"] == "agent2"


def test_an_admin_changes_their_own_password_elsewhere(admin, database):
    me = member(database, "admin1")
    answer = post(admin, f"{STAFF_PAGE}/{me.id}/password")
    assert answer.status_code == 400
    assert page_error(answer.text) == (
        "Change your own password on the page “Change password”, with your current one."
    )


def test_an_unknown_member_is_a_404_page(admin):
    for path in ("", "/deactivate", "/reactivate", "/password"):
        answer = post(admin, f"{STAFF_PAGE}/424242{path}", {"role": "agent"})
        assert answer.status_code == 404
        assert page_error(answer.text) == "There is no such staff member."
    assert admin.get(f"{STAFF_PAGE}/424242").status_code == 404


def test_the_staff_pages_are_for_admins_only(client_for):
    for role in ("agent", "expert"):
        assert client_for(role).get(STAFF_PAGE).status_code == 403


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
