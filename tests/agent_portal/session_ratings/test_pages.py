"""The expert's ratings page over HTTP: the expert rates the customer of a paid session
(a form answered with a redirect back to the page, which then shows the rating); the
customer's rating of the expert stays hidden until both have rated; bad stars, a text too
long, another expert's session are refused on the page in its language and store nothing."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.database import utcnow
from agent_portal.session_ratings import service
from agent_portal.session_ratings.models import SessionRating
from tests.agent_portal.session_ratings.support import Arranged
from tests.support.portal_data import TLS_CHECK

PAGE = "/portal/expert/ratings"


@pytest.fixture
def arranged(world) -> Arranged:
    return Arranged(world)


@pytest.fixture
def expert_http(portal, arranged):
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, follow_redirects=False
    ) as client:
        client.cookies.set(SESSION_COOKIE, arranged.expert.token)
        yield client


def csrf(world, client) -> str:
    with world.session() as db_session:
        return auth_service.get_session_by_token(
            db_session=db_session, token=client.cookies.get(SESSION_COOKIE), now=utcnow()
        ).csrf_token


def customer_rates(arranged: Arranged, session_id: int, stars=5, text="Sehr kompetent") -> None:
    with arranged.world.session() as db_session:
        service.rate(
            db_session,
            session_id=session_id,
            side=service.CUSTOMER,
            person_id=arranged.customer.id,
            stars=stars,
            text=text,
            now=utcnow(),
            rules=service.Rules(),
        )
        db_session.commit()


def test_the_expert_rates_the_customer_and_then_sees_the_customers_rating(
    world, arranged, expert_http
):
    session_id = arranged.session()
    customer_rates(arranged, session_id)
    page = expert_http.get(PAGE + "?lang=en").text
    assert "Erika Mustermann: Windows" in page
    assert "Sehr kompetent" not in page, "hidden until the expert has rated too"
    assert "Shown once you have both rated" in page

    answer = expert_http.post(
        f"{PAGE}/{session_id}",
        data={"csrf_token": csrf(world, expert_http), "stars": "4", "text": "Gut vorbereitet"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PAGE}#session-{session_id}"
    shown = expert_http.get(PAGE + "?lang=de").text
    assert "Ihre Bewertung der Kundin oder des Kunden ist gespeichert." in shown
    assert "4 von 5 Sternen" in shown and "Gut vorbereitet" in shown
    assert "5 von 5 Sternen" in shown and "Sehr kompetent" in shown
    [mine] = world.rows(SessionRating, SessionRating.side == "expert")
    assert (mine.stars, mine.text) == (4, "Gut vorbereitet")


@pytest.mark.parametrize(
    ("data", "english", "german"),
    [
        ({"stars": "0"}, "Choose between 1 and 5 stars.", "Wählen Sie zwischen 1 und 5 Sternen."),
        ({"stars": ""}, "Choose between 1 and 5 stars.", "Wählen Sie zwischen 1 und 5 Sternen."),
        (
            {"stars": "3", "text": "x" * 2001},
            "The text may be at most 2,000 characters long.",
            "Der Text darf höchstens 2.000 Zeichen lang sein.",
        ),
    ],
    ids=["no stars", "stars missing", "text too long"],
)
def test_bad_input_is_refused_on_the_page_and_stores_nothing(
    world, arranged, expert_http, data, english, german
):
    session_id = arranged.session()
    for language, text in (("en", english), ("de", german)):
        answer = expert_http.post(
            f"{PAGE}/{session_id}?lang={language}",
            data={"csrf_token": csrf(world, expert_http), "text": "", **data},
        )
        assert answer.status_code == 400
        assert text in answer.text.replace("&#39;", "'")
    assert world.count(SessionRating) == 0


def test_another_experts_session_is_not_found(world, arranged, expert_http):
    other = arranged.session(ended_ago=timedelta(hours=2))
    with world.session() as db_session:
        from agent_portal.paid_sessions.models import PaidSession

        db_session.get(PaidSession, other).expert_staff_id = world.staff("olga", "expert").id
        db_session.commit()
    answer = expert_http.post(
        f"{PAGE}/{other}?lang=en",
        data={"csrf_token": csrf(world, expert_http), "stars": "5", "text": ""},
    )
    assert answer.status_code == 404
    assert "There is no such paid session of yours." in answer.text
    assert world.count(SessionRating) == 0


pytestmark = pytest.mark.pages
