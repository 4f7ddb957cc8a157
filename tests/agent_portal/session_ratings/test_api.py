"""The ratings' API as the assistant uses it, signed by a linked device, on both databases:
the list of sessions to rate, a rating and its refusals (a stable code, a sentence in the
language asked for, nothing stored), the reveal as the customer sees it, and the expert's
revealed ratings ordered by helpful votes, one changeable vote per customer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.expert_search.ranking import Rating, rank
from agent_portal.session_ratings.models import SessionRating
from isp_common.ratings_wire import (
    EXPERT_RATINGS_PATH,
    RATEABLE_PATH,
    RATINGS_PATH,
    VOTES_PATH,
    PublicRatingList,
    RateableSessionList,
    SessionRatingState,
)
from tests.agent_portal.session_ratings.support import Arranged, signed


@pytest.fixture
def arranged(world) -> Arranged:
    return Arranged(world)


def test_the_customer_rates_and_sees_the_experts_rating_only_once_both_rated(
    portal, http, arranged
):
    session_id = arranged.session()
    paid_session_of_neighbour = arranged.session(arranged.neighbour)

    listed = signed(http, arranged.key, "GET", RATEABLE_PATH + "?lang=de")
    assert listed.status_code == 200
    [offered] = RateableSessionList.model_validate_json(listed.content).sessions
    assert (offered.session_id, offered.expert_name) == (session_id, "Mira Keller")
    assert (offered.category_name, offered.charged, offered.currency) == ("Windows", 4500, "CHF")
    assert offered.session_id != paid_session_of_neighbour

    arranged.expert_rates(session_id)
    before = SessionRatingState.model_validate_json(
        signed(http, arranged.key, "GET", f"{RATINGS_PATH}/{session_id}").content
    )
    assert before.other is None and not before.revealed, "the expert's rating stays hidden"

    rated = signed(
        http, arranged.key, "POST", f"{RATINGS_PATH}/{session_id}", {"stars": 5, "text": "Top"}
    )
    assert rated.status_code == 201
    state = SessionRatingState.model_validate_json(rated.content)
    assert state.revealed and state.mine.stars == 5
    assert (state.other.stars, state.other.text) == (4, "Angenehm")
    assert signed(http, arranged.key, "GET", RATEABLE_PATH).json() == {"sessions": []}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"stars": 0, "text": "Schlecht"}, 422, "rating_stars"),
        ({"stars": 6, "text": "Super"}, 422, "rating_stars"),
        ({"stars": 4, "text": "x" * 2001}, 422, "rating_text_too_long"),
    ],
    ids=["0 stars", "6 stars", "text too long"],
)
def test_bad_ratings_are_refused_in_the_language_asked_and_store_nothing(
    portal, http, arranged, body, status, code
):
    session_id = arranged.session()
    answer = signed(
        http,
        arranged.key,
        "POST",
        f"{RATINGS_PATH}/{session_id}",
        body,
        **{"Accept-Language": "de"},
    )
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert "Sternen" in answer.json()["detail"] or "Zeichen" in answer.json()["detail"]
    assert arranged.world.count(SessionRating) == 0


def test_unpaid_and_other_peoples_sessions_cannot_be_rated(portal, http, arranged):
    waived = arranged.session(waived=4500)
    neighbours = arranged.session(arranged.neighbour)
    ended_long_ago = arranged.session(ended_ago=timedelta(days=15))

    def post(session_id):
        return signed(
            http, arranged.key, "POST", f"{RATINGS_PATH}/{session_id}", {"stars": 3, "text": ""}
        )

    assert post(waived).json()["code"] == "rating_session_not_rateable"
    assert post(neighbours).status_code == 404
    assert post(neighbours).json()["code"] == "rating_session_not_found"
    assert post(ended_long_ago).json()["code"] == "rating_closed"
    assert post(999_999).status_code == 404
    first = post(arranged.session())
    assert first.status_code == 201
    again = signed(
        http,
        arranged.key,
        "POST",
        f"{RATINGS_PATH}/{first.json()['session_id']}",
        {"stars": 5, "text": ""},
    )
    assert (again.status_code, again.json()["code"]) == (409, "rating_already_given")
    assert arranged.world.count(SessionRating) == 1
    unsigned = http.get(RATEABLE_PATH)
    assert unsigned.status_code == 401


def test_revealed_ratings_are_listed_most_helpful_first_and_votes_can_change(
    portal, http, arranged
):
    world = arranged.world
    voters = [arranged.neighbour_key]
    for number in range(3):
        customer = world.customer(f"K-2000{number}", email=f"v{number}@example.de")
        voters.append(world.device(customer, name=f"PC {number}")[1])
    ids = {}
    for text, stars in (("Neu", 3), ("Hilfreich", 5), ("Umstritten", 2)):
        session_id = arranged.session()
        rated = signed(
            http,
            arranged.key,
            "POST",
            f"{RATINGS_PATH}/{session_id}",
            {"stars": stars, "text": text},
        )
        assert rated.status_code == 201
        arranged.expert_rates(session_id)
    hidden = arranged.session()
    signed(http, arranged.key, "POST", f"{RATINGS_PATH}/{hidden}", {"stars": 1, "text": "Geheim"})

    path = EXPERT_RATINGS_PATH.format(expert_id=arranged.expert.expert_id)
    listed = PublicRatingList.model_validate_json(signed(http, voters[0], "GET", path).content)
    assert {rating.text for rating in listed.ratings} == {"Neu", "Hilfreich", "Umstritten"}
    ids = {rating.text: rating.id for rating in listed.ratings}

    def vote(key, text, helpful):
        return signed(http, key, "PUT", f"{VOTES_PATH}/{ids[text]}", {"helpful": helpful})

    for key in voters:
        assert vote(key, "Hilfreich", True).status_code == 200
    vote(voters[0], "Umstritten", True)
    vote(voters[1], "Umstritten", False)
    vote(voters[2], "Umstritten", False)

    ordered = PublicRatingList.model_validate_json(signed(http, voters[1], "GET", path).content)
    assert [rating.text for rating in ordered.ratings] == ["Hilfreich", "Umstritten", "Neu"]
    top = ordered.ratings[0]
    assert (top.helpful, top.not_helpful, top.my_vote, top.category_name) == (
        4,
        0,
        True,
        "Windows",
    )

    changed = vote(voters[1], "Hilfreich", False)
    assert (changed.json()["helpful"], changed.json()["not_helpful"]) == (3, 1)
    own = vote(arranged.key, "Hilfreich", True)
    assert (own.status_code, own.json()["code"]) == (422, "rating_vote_own")
    paid = [Rating(stars, 30, 4500) for stars in (3, 5, 2)]  # 30 minutes, 45.00 each
    assert ordered.rated_sessions == 3
    assert ordered.score == pytest.approx(rank(paid).score)
    [topic] = ordered.topics
    assert (topic.category_name, topic.rated_sessions) == ("Windows", 3)
    per_topic = signed(http, voters[0], "GET", f"{path}?category=999999")
    assert per_topic.json()["ratings"] == []
    unknown = signed(http, voters[0], "GET", EXPERT_RATINGS_PATH.format(expert_id=999_999))
    assert unknown.json() == {"ratings": [], "score": None, "rated_sessions": 0, "topics": []}
