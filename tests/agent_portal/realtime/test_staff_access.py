"""A change to a staff member's access reaches their open portal tabs at once, over real
sockets: deactivation, a password reset and a role change close the staff sockets (on
every worker), so a deactivated member hears nothing more and a new role holds from the
next socket on; a member who changes their own password keeps the tab they did it in."""

from __future__ import annotations

import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat_service
from agent_portal.database import utcnow
from agent_portal.realtime.schemas import CLOSE_ACCESS_CHANGED
from isp_common.live_wire import Topic
from tests.support.live import RestartableServer, StaffClient
from tests.support.portal_data import TLS_CHECK, new_portal_session

STAFF_PAGE = "/portal/admin/staff"
# The socket is closed within this long of the admin's answer (generous: a busy machine).
CLOSED_WITHIN = 2.0


class AdminBrowser:
    """An admin's HTTP client with the portal session's cookie and form token."""

    def __init__(self, world, member, url: str) -> None:
        with world.session() as db_session:
            portal_session = auth_service.get_session_by_token(
                db_session=db_session, token=member.token, now=utcnow()
            )
            self.csrf = portal_session.csrf_token
        self.client = httpx.Client(
            verify=TLS_CHECK, base_url=url, timeout=30, headers={"Accept-Language": "en"}
        )
        self.client.cookies.set(SESSION_COOKIE, member.token)

    def post(self, path: str, data: dict | None = None) -> httpx.Response:
        answer = self.client.post(path, data={"csrf_token": self.csrf, **(data or {})})
        assert answer.status_code == 303, answer.text
        return answer

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def admin_browser(world, portal):
    made = []

    def make(member, url: str | None = None) -> AdminBrowser:
        browser = AdminBrowser(world, member, url or portal.url)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.close()


def closed_soon(tab: StaffClient) -> tuple[int, list[str]]:
    """Reads until the server closes the socket: its close code and the frame types seen;
    fails when it stays open longer than CLOSED_WITHIN."""
    seen = []
    deadline = time.monotonic() + CLOSED_WITHIN
    while True:
        try:
            raw = tab.socket.recv(timeout=max(0.01, deadline - time.monotonic()))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None, seen
        except TimeoutError:
            raise AssertionError(f"the socket is still open after {CLOSED_WITHIN} s") from None
        if isinstance(raw, str):
            seen.append(raw)


def opens(url: str, token: str) -> bool:
    try:
        StaffClient(url, token).close()
    except InvalidStatus as refused:
        assert refused.response.status_code == 403
        return False
    return True


def test_deactivation_closes_the_members_open_socket_at_once(world, portal, admin_browser):
    admin = admin_browser(world.staff("ada.admin", "admin"))
    anna = world.staff("anna.berger", "agent")
    tab = StaffClient(portal.url, anna.token)
    tab.next("presence", kind="staff", id=anna.id)

    admin.post(f"{STAFF_PAGE}/{anna.id}/deactivate")

    code, frames = closed_soon(tab)
    assert code == CLOSE_ACCESS_CHANGED
    assert any('"access.changed"' in frame for frame in frames)  # the tab reloads on it
    assert not opens(portal.url, anna.token)  # and the reload finds the login page


def test_a_password_reset_closes_the_members_open_socket(world, portal, admin_browser):
    admin = admin_browser(world.staff("ada.admin", "admin"))
    anna = world.staff("anna.berger", "agent")
    tab = StaffClient(portal.url, anna.token)
    tab.next("presence", kind="staff", id=anna.id)

    admin.post(f"{STAFF_PAGE}/{anna.id}/password")

    assert closed_soon(tab)[0] == CLOSE_ACCESS_CHANGED
    assert not opens(portal.url, anna.token)


def test_a_role_change_holds_on_the_next_socket(world, portal, admin_browser):
    """The socket keeps the role it was opened with: a role change closes it, and the one
    the tab opens next speaks with the new role."""
    admin = admin_browser(world.staff("ada.admin", "admin"))
    anna = world.staff("anna.berger", "agent")
    with world.session() as db_session:  # a live chat of hers
        conversation = chat_service.start_conversation(
            db_session=db_session,
            customer_id=world.customer().id,
            device_id=None,
            topic=Topic.wifi,
            client_msg_id="first",
            text="My Wi-Fi drops.",
            now=utcnow(),
        ).conversation
        member = db_session.get(StaffMember, anna.id)
        routing.assign(db_session=db_session, conversation=conversation, agent=member, now=utcnow())
        db_session.commit()
        conversation_id = conversation.id
    tab = StaffClient(portal.url, anna.token)
    tab.send({"type": "watch", "conversation_id": conversation_id})
    tab.send({"type": "ping"})
    tab.next("pong")
    assert not [frame for frame in tab.frames if frame["type"] == "error"]  # as its agent

    admin.post(f"{STAFF_PAGE}/{anna.id}", {"display_name": "Anna", "role": "expert"})

    assert closed_soon(tab)[0] == CLOSE_ACCESS_CHANGED
    again = StaffClient(portal.url, anna.token)  # her session lives on
    try:
        again.send({"type": "watch", "conversation_id": conversation_id})
        # As an expert: only pre-chats of her own are hers to see.
        refused = again.next("error")["message"]
        assert refused == "Experts see only their own customers' chats."
    finally:
        again.close()


def test_topics_alone_leave_the_socket_open(world, portal, admin_browser):
    admin = admin_browser(world.staff("ada.admin", "admin"))
    anna = world.staff("anna.berger", "agent")
    tab = StaffClient(portal.url, anna.token)
    tab.next("presence", kind="staff", id=anna.id)

    fields = {"display_name": "Anna", "role": "agent", "topics": "wifi"}
    admin.post(f"{STAFF_PAGE}/{anna.id}", fields)

    tab.send({"type": "ping"})
    assert tab.next("pong")
    tab.close()


def test_an_own_password_change_closes_the_other_sessions_sockets_only(world, portal):
    anna = world.staff("anna.berger", "agent")
    with world.session() as db_session:
        member = auth_service.get_staff(db_session=db_session, staff_id=anna.id)
        member.password_hash = auth_service.security.hash_password("initial password")
        other = new_portal_session(db_session, member).token
        csrf = auth_service.get_session_by_token(
            db_session=db_session, token=anna.token, now=utcnow()
        ).csrf_token
    here, elsewhere = StaffClient(portal.url, anna.token), StaffClient(portal.url, other)
    here.next("presence", kind="staff", id=anna.id)
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30) as browser:
        browser.cookies.set(SESSION_COOKIE, anna.token)
        answer = browser.post(
            "/portal/password",
            data={
                "csrf_token": csrf,
                "current_password": "initial password",
                "new_password": "a brand new password",
                "new_password_again": "a brand new password",
            },
        )
        assert answer.status_code == 303, answer.text

    assert closed_soon(elsewhere)[0] == CLOSE_ACCESS_CHANGED
    here.send({"type": "ping"})
    assert here.next("pong")
    here.close()


def test_deactivation_on_one_worker_closes_the_socket_on_another(settings, world, redis_url):
    settings.pubsub_url = redis_url
    first, second = RestartableServer(settings).start(), RestartableServer(settings).start()
    admin = AdminBrowser(world, world.staff("ada.admin", "admin"), first.url)
    anna = world.staff("anna.berger", "agent")
    tab = StaffClient(second.url, anna.token)
    try:
        tab.next("presence", kind="staff", id=anna.id)
        admin.post(f"{STAFF_PAGE}/{anna.id}/deactivate")
        assert closed_soon(tab)[0] == CLOSE_ACCESS_CHANGED
    finally:
        tab.close()
        admin.close()
        first.stop()
        second.stop()
