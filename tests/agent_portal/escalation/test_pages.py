"""The agent's offer over HTTP on the real portal: the page finds experts, online ones
first; the offer and its withdrawal are form posts answered with a redirect; a refusal
shows the page again with the reason in the page's language and stores nothing; a
colleague who does not hold the chat is refused the page and the post."""

from __future__ import annotations

import httpx
import pytest

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.database import utcnow
from agent_portal.escalation.models import ExpertOffer
from agent_portal.experts.models import ExpertProfile
from tests.agent_portal.escalation.test_service import hotline_chat
from tests.agent_portal.expert_desk.support import approved_expert
from tests.agent_portal.expert_desk.test_service import open_tab
from tests.support.portal_data import TLS_CHECK


class Browser:
    """A staff member's portal session over plain HTTP, with its form token."""

    def __init__(self, world, portal, member) -> None:
        with world.session() as db_session:
            self.csrf = auth_service.get_session_by_token(
                db_session=db_session, token=member.token, now=utcnow()
            ).csrf_token
        self.http = httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30)
        self.http.cookies.set(SESSION_COOKIE, member.token)

    def get(self, path: str):
        return self.http.get(path)

    def post(self, path: str, data: dict):
        return self.http.post(path, data={"csrf_token": self.csrf, **data})


@pytest.fixture
def setting(world, portal):
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    otto = approved_expert(world, "otto.expert", "Otto Fachmann", keywords="NAS, Raid")
    open_tab(world, otto)  # Otto online, Eva not
    anna = world.staff("anna.berger", topics=("computer",), name="Anna Berger")
    customer = world.customer()
    conversation_id = hotline_chat(world, customer, anna)
    browser = Browser(world, portal, anna)
    yield eva, otto, anna, conversation_id, browser
    browser.http.close()


def test_the_agent_finds_experts_online_first_and_offers_one(world, setting):
    eva, otto, anna, conversation_id, browser = setting
    page = browser.get(f"/portal/chats/{conversation_id}/offer?q=NAS&lang=en")
    assert page.status_code == 200
    assert page.text.index("Otto Fachmann") < page.text.index("Eva Experte")  # online first
    answer = browser.post(
        f"/portal/chats/{conversation_id}/offer",
        {"expert_id": str(eva.expert_id), "note": "Backups fail nightly."},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/portal/chats/{conversation_id}?done=offered"
    [offer] = world.rows(ExpertOffer)
    assert (offer.status, offer.expert_id, offer.note) == (
        "offered",
        eva.expert_id,
        "Backups fail nightly.",
    )
    chat = browser.get(f"/portal/chats/{conversation_id}?lang=de")
    assert "Angebot zurückziehen" in chat.text

    answer = browser.post(f"/portal/chats/{conversation_id}/offers/{offer.id}/withdraw", {})
    assert answer.status_code == 303
    assert world.rows(ExpertOffer)[0].status == "withdrawn"
    # Withdrawn already: the page again, with the reason.
    again = browser.post(f"/portal/chats/{conversation_id}/offers/{offer.id}/withdraw?lang=de", {})
    assert again.status_code == 409
    assert (
        "Dieses Angebot wurde schon beantwortet, zurückgezogen oder ist abgelaufen." in again.text
    )


def test_refusals_show_the_page_again_and_store_nothing(world, setting):
    eva, otto, anna, conversation_id, browser = setting
    nobody = browser.post(f"/portal/chats/{conversation_id}/offer?lang=en", {"expert_id": ""})
    assert nobody.status_code == 409 and "Choose the expert to offer." in nobody.text
    with world.session() as db_session:
        db_session.get(ExpertProfile, eva.expert_id).suspended_at = utcnow()
        db_session.commit()
    suspended = browser.post(
        f"/portal/chats/{conversation_id}/offer?lang=de",
        {"expert_id": str(eva.expert_id), "note": "kept"},
    )
    assert suspended.status_code == 409
    assert "Diesen Experten gibt es nicht." in suspended.text
    assert "kept" in suspended.text  # the note is not lost
    too_long = browser.post(
        f"/portal/chats/{conversation_id}/offer?lang=en",
        {"expert_id": str(otto.expert_id), "note": "x" * 2001},
    )
    assert too_long.status_code == 409
    assert "The note may be at most 2000 characters long." in too_long.text
    assert world.count(ExpertOffer) == 0


def test_a_colleague_who_does_not_hold_the_chat_cannot_offer(world, portal, setting):
    eva, otto, anna, conversation_id, browser = setting
    bernd = world.staff("bernd.meier", topics=("computer",))
    other = Browser(world, portal, bernd)
    try:
        assert other.get(f"/portal/chats/{conversation_id}/offer").status_code == 403
        answer = other.post(
            f"/portal/chats/{conversation_id}/offer", {"expert_id": str(eva.expert_id)}
        )
        assert answer.status_code == 403
    finally:
        other.http.close()
    expert = Browser(world, portal, eva)
    try:
        assert expert.get(f"/portal/chats/{conversation_id}/offer").status_code == 403
    finally:
        expert.http.close()
    assert world.count(ExpertOffer) == 0


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
