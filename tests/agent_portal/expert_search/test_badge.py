"""The public status badge: anyone (a forum, the ISP's help pages) can show whether an
expert is online, in German or English, without logging in, and learns nothing but the
display name, the categories and the status. Unknown, unapproved and suspended experts
look the same: "unknown"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy.orm import Session

from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_desk import availability
from tests.agent_portal.expert_search.search_data import add_category, add_expert, go_online


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def anna(db_session):
    wifi = add_category(db_session, "WLAN", "Wi-Fi")
    return add_expert(
        db_session, "Anna Keller", categories=[wifi], keywords="Router", slogan="Secret slogan"
    )


def status(http, profile_id, **params):
    return http.get(f"/experts/{profile_id}/status.json", params=params)


def svg_text(http, profile_id, **params) -> str:
    answer = http.get(f"/experts/{profile_id}/badge.svg", params=params)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(answer.text)  # well-formed XML
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    return " ".join(text.strip() for text in root.itertext() if text.strip())


def test_an_online_expert_shows_online_with_name_and_categories_only(http, db_session, anna):
    go_online(db_session, anna)
    answer = status(http, anna.id, lang="en")
    assert answer.status_code == 200
    assert answer.json() == {
        "id": anna.id,
        "display_name": "Anna Keller",
        "categories": ["Wi-Fi"],
        "status": "online",
    }
    assert "Anna Keller" in svg_text(http, anna.id, lang="en")
    assert "Online" in svg_text(http, anna.id, lang="en")


def test_an_idle_expert_shows_away_in_the_readers_language(http, db_session, anna):
    go_online(db_session, anna, idle=timedelta(minutes=30))
    assert status(http, anna.id).json()["status"] == "away"
    assert "Abwesend" in svg_text(http, anna.id, lang="de")
    german = http.get(f"/experts/{anna.id}/badge.svg", headers={"Accept-Language": "de-CH"})
    assert "Abwesend" in german.text
    english = http.get(f"/experts/{anna.id}/status.json", headers={"Accept-Language": "en"})
    assert english.json()["categories"] == ["Wi-Fi"]
    assert status(http, anna.id, lang="de").json()["categories"] == ["WLAN"]


def test_a_busy_or_away_expert_is_not_shown_online(http, db_session, anna):
    go_online(db_session, anna)
    availability.set_busy(db_session=db_session, staff_id=anna.staff_id, now=utcnow())
    db_session.commit()
    assert status(http, anna.id).json()["status"] == "busy"
    assert "Busy" in svg_text(http, anna.id, lang="en")
    availability.clear_busy(db_session=db_session, staff_id=anna.staff_id, now=utcnow())
    availability.set_away(db_session=db_session, staff_id=anna.staff_id, now=utcnow())
    db_session.commit()
    assert status(http, anna.id).json()["status"] == "away"
    availability.set_online(db_session=db_session, staff_id=anna.staff_id, now=utcnow())
    db_session.commit()
    assert status(http, anna.id).json()["status"] == "online"


def test_an_expert_without_an_open_tab_shows_offline(http, anna):
    assert status(http, anna.id).json()["status"] == "offline"
    assert "Offline" in svg_text(http, anna.id, lang="en")


def test_unknown_unapproved_and_suspended_experts_show_unknown(http, db_session):
    waiting = add_expert(db_session, "Dora Waiting", approved=False)
    suspended = add_expert(db_session, "Emil Suspended", suspended=True)
    go_online(db_session, suspended)
    for profile_id in (999_999, waiting.id, suspended.id):
        answer = status(http, profile_id, lang="en")
        assert answer.status_code == 404
        assert answer.json()["status"] == "unknown"
        assert answer.headers["access-control-allow-origin"] == "*"
        text = svg_text(http, profile_id, lang="en")
        assert text.endswith("Unknown") and "Dora" not in text and "Emil" not in text
    assert "Unbekannt" in svg_text(http, 999_999, lang="de")


def test_answers_are_cacheable_and_readable_from_other_sites(http, anna):
    for path in (f"/experts/{anna.id}/status.json", f"/experts/{anna.id}/badge.svg"):
        answer = http.get(path, params={"lang": "en"})
        assert answer.headers["cache-control"] == "public, max-age=30"
        assert answer.headers["access-control-allow-origin"] == "*"
        tag = answer.headers["etag"]
        again = http.get(path, params={"lang": "en"}, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
    # Another language, another text ("WLAN" for "Wi-Fi"), another tag.
    path = f"/experts/{anna.id}/status.json"
    tag = http.get(path, params={"lang": "en"}).headers["etag"]
    german = http.get(path, params={"lang": "de"}, headers={"If-None-Match": tag})
    assert german.status_code == 200 and german.json()["categories"] == ["WLAN"]
    assert "Secret slogan" not in http.get(f"/experts/{anna.id}/status.json").text


def test_a_name_with_markup_is_shown_as_text(http, db_session):
    sneaky = add_expert(db_session, 'Eve <script>alert(1)</script> & "Co"')
    answer = http.get(f"/experts/{sneaky.id}/badge.svg", params={"lang": "en"})
    assert "<script>" not in answer.text
    assert "&lt;script&gt;" in answer.text
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert svg_text(http, sneaky.id, lang="en").startswith('Eve <script>alert(1)</script> & "Co"')
