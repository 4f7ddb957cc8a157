"""The experts' search API: the assistant of a signed-in customer (a request signed by a
linked device) gets summaries, online experts first, page by page; anyone else gets a
401; bad filters get a 422 that says what was wrong. Agents search the same way in the
portal, to pick an expert to hand a customer to."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.devices import service as devices
from isp_common.device_ids import device_id_for, raw_public_key
from isp_common.experts_wire import EXPERTS_PATH, PROFILE_PATH, ExpertSearchResults
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.expert_search.search_data import add_category, add_expert, go_online, rate
from tests.support.portal_data import add_customer, form_token, logged_in_client


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def device_key(portal_app, db_session, settings) -> Ed25519PrivateKey:
    customer = add_customer(db_session, "K-200100")
    key = Ed25519PrivateKey.generate()
    devices.attach(
        db_session=db_session,
        keys=portal_app.state.server_keys,
        customer=customer,
        public_key=raw_public_key(key.public_key()),
        name="Laptop",
        platform="linux",
        now=utcnow(),
        device_limits=settings.device_limits,
    )
    db_session.commit()
    return key


def signed_get(http, key: Ed25519PrivateKey, path: str = EXPERTS_PATH, **params):
    target = path + ("?" + urlencode(params) if params else "")
    headers = device_request_headers(
        sign=key.sign,
        device_id=device_id_for(key.public_key()),
        method="GET",
        target=target.encode(),
        body=b"",
        timestamp=int(time.time()),
    )
    return http.get(target, headers=headers)


@pytest.fixture
def experts(db_session):
    network = add_category(db_session, "Netzwerk", "Network")
    wifi = add_category(db_session, "WLAN", "Wi-Fi", parent=network)
    anna = add_expert(
        db_session, "Anna Keller", categories=[wifi, network], keywords="Router", slogan="Hallo"
    )
    ben = add_expert(db_session, "Ben Frei", categories=[wifi], keywords="Router")
    cleo = add_expert(db_session, "Cleo Meier", categories=[network], keywords="VPN")
    rate(db_session, anna, 5, 30, 3000)
    go_online(db_session, ben)
    return {"network": network, "wifi": wifi, "anna": anna, "ben": ben, "cleo": cleo}


def test_a_customer_finds_experts_online_first_with_their_categories(http, device_key, experts):
    answer = signed_get(http, device_key, q="rout", lang="en")
    assert answer.status_code == 200, answer.text
    found = ExpertSearchResults.model_validate(answer.json())
    assert [expert.display_name for expert in found.experts] == ["Ben Frei", "Anna Keller"]
    ben, anna = found.experts
    assert ben.status == "online" and anna.status == "offline"
    assert [category.name for category in anna.categories] == ["Wi-Fi", "Network"]
    assert anna.score > ben.score == 3.5 and anna.rated_sessions == 1
    assert anna.slogan == "Hallo" and anna.prices.per_minute == 150
    assert anna.prices.currency == "CHF" and anna.categories[0].parent_id == experts["network"].id
    german = signed_get(http, device_key, q="rout", lang="de").json()
    assert [c["name"] for c in german["experts"][1]["categories"]] == ["WLAN", "Netzwerk"]


def test_pages_are_fetched_with_the_cursor(http, device_key, experts):
    first = signed_get(http, device_key, limit=2).json()
    assert [e["display_name"] for e in first["experts"]] == ["Ben Frei", "Anna Keller"]
    second = signed_get(http, device_key, limit=2, cursor=first["next_cursor"]).json()
    assert [e["display_name"] for e in second["experts"]] == ["Cleo Meier"]
    assert second["next_cursor"] is None


def test_filters_reach_the_search(http, device_key, experts):
    wifi = signed_get(http, device_key, category=experts["wifi"].id).json()
    assert {e["display_name"] for e in wifi["experts"]} == {"Anna Keller", "Ben Frei"}
    online = signed_get(http, device_key, online="true").json()
    assert [e["display_name"] for e in online["experts"]] == ["Ben Frei"]
    assert signed_get(http, device_key, max_price=100).json()["experts"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"min_price": 500, "max_price": 100}, "price_range_invalid"),
        ({"cursor": "not-a-cursor"}, "cursor_invalid"),
        ({"category": 999_999}, "category_unknown"),
    ],
)
def test_bad_filters_are_refused_with_what_was_wrong(http, device_key, experts, params, code):
    answer = signed_get(http, device_key, **params)
    assert answer.status_code == 422
    assert answer.json()["code"] == code


def test_bad_values_are_refused(http, device_key, experts):
    for params in ({"limit": 0}, {"limit": 51}, {"min_price": -1}, {"q": "x" * 201}):
        assert signed_get(http, device_key, **params).status_code == 422, params


def test_without_a_linked_device_the_search_is_refused(http, experts):
    answer = http.get(EXPERTS_PATH, params={"q": "router"})
    assert answer.status_code == 401
    assert answer.json()["code"] == "device_auth_missing"


def test_agents_search_in_the_portal_online_first(portal, db_session, experts):
    with logged_in_client(portal.url, db_session, "agent.alex", "agent") as agent:
        answer = agent.get("/portal/experts/search.json", params={"q": "router"})
        assert answer.status_code == 200
        names = [e["display_name"] for e in answer.json()["experts"]]
        assert names == ["Ben Frei", "Anna Keller"]
    with logged_in_client(portal.url, db_session, "expert.eva", "expert") as expert:
        assert expert.get("/portal/experts/search.json").status_code == 403


def test_a_deactivated_expert_is_not_offered_until_reactivated(
    portal, http, device_key, db_session, experts
):
    """An expert whose account an admin deactivates could never answer: the profile leaves
    the search, the badge and its page at once, though a tab of theirs was still counted
    open; reactivated, it is back, online first again. Given another role, it leaves too."""
    ben = experts["ben"]

    def found() -> list[tuple[str, str]]:
        answer = signed_get(http, device_key, q="rout", lang="en").json()["experts"]
        return [(expert["display_name"], expert["status"]) for expert in answer]

    def ben_is_shown() -> tuple[int, int]:
        profile = signed_get(http, device_key, PROFILE_PATH.format(expert_id=ben.id))
        return profile.status_code, http.get(f"/experts/{ben.id}/status.json").status_code

    with logged_in_client(portal.url, db_session, "admin.ada", "admin") as admin:
        token = form_token(db_session, admin)

        def change(action: str, **form) -> None:
            path = f"/portal/admin/staff/{ben.staff_id}{action}"
            answer = admin.post(path, data={"csrf_token": token, **form})
            assert answer.status_code == 303, answer.text

        assert found() == [("Ben Frei", "online"), ("Anna Keller", "offline")]
        change("/deactivate")
        assert found() == [("Anna Keller", "offline")]
        assert ben_is_shown() == (404, 404)
        change("/reactivate")
        assert found() == [("Ben Frei", "online"), ("Anna Keller", "offline")]
        assert ben_is_shown() == (200, 200)
        change("", display_name="Ben Frei", role="agent")
        assert found() == [("Anna Keller", "offline")]
        assert ben_is_shown() == (404, 404)
