"""The assistant's ratings client against the real portal, signed with the computer's own
key: the sessions still to rate come back in the language asked for; a rating is stored;
each refusal arrives as its code (the assistant words it), and a server that cannot be
reached is "unavailable", not a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.escalation.ratings import RatingRefused, RatingsClient, RatingsUnavailable
from isp_common.ratings_wire import RatingRefusal
from tests.agent_portal.session_ratings.support import Arranged
from tests.support.premium_portal import unreachable_url


@pytest.fixture
def arranged(world) -> Arranged:
    return Arranged(world)


@pytest.fixture
def client(portal, arranged):
    found = RatingsClient(portal.url, arranged.key)
    yield found
    found.close()


def test_the_client_lists_and_rates_a_paid_session(client, arranged):
    session_id = arranged.session()
    [offered] = client.rateable("de")
    assert (offered.session_id, offered.category_name) == (session_id, "Windows")
    state = client.rate(session_id, stars=4, text="Geduldig erklärt")
    assert (state.mine.stars, state.mine.text, state.revealed) == (4, "Geduldig erklärt", False)
    assert client.rateable("de") == []


def test_refusals_arrive_as_their_codes(client, arranged):
    session_id = arranged.session()
    closed = arranged.session(ended_ago=timedelta(days=30))
    with pytest.raises(RatingRefused) as refused:
        client.rate(session_id, stars=6, text="")
    assert refused.value.code == RatingRefusal.stars
    with pytest.raises(RatingRefused) as refused:
        client.rate(closed, stars=3, text="")
    assert refused.value.code == RatingRefusal.closed
    client.rate(session_id, stars=3, text="")
    with pytest.raises(RatingRefused) as refused:
        client.rate(session_id, stars=3, text="")
    assert refused.value.code == RatingRefusal.already_rated


def test_a_server_out_of_reach_is_unavailable(arranged):
    client = RatingsClient(unreachable_url(), arranged.key, timeout=2)
    with pytest.raises(RatingsUnavailable):
        client.rateable("en")
    client.close()
