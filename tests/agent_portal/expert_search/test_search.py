"""Expert search on both databases: words found while they are typed, in German and
English, in names, categories, keywords and texts; the filters; online experts first,
then by rank; only approved, non-suspended profiles; pages that neither repeat nor skip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_desk import availability
from agent_portal.expert_search import index
from agent_portal.expert_search.search import Cursor, Filters, search_experts
from tests.agent_portal.expert_search.search_data import (
    AWAY_AFTER,
    add_category,
    add_expert,
    go_online,
    rate,
)
from tests.agent_portal.knowledge.test_search import HOSTILE_QUERIES


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def names(db_session: Session, limit: int = 50, cursor: Cursor | None = None, **filters):
    page = search_experts(
        db_session=db_session,
        filters=Filters(**filters),
        now=utcnow(),
        away_after=AWAY_AFTER,
        limit=limit,
        cursor=cursor,
    )
    return [found.entry.display_name for found in page.experts]


@pytest.fixture
def catalogue(db_session):
    network = add_category(db_session, "Netzwerk", "Network")
    wifi = add_category(db_session, "WLAN", "Wi-Fi", parent=network)
    printers = add_category(db_session, "Drucker", "Printers")
    experts = {
        "Anna": add_expert(
            db_session,
            "Anna Keller",
            categories=[wifi],
            keywords="Router, Mesh",
            slogan="Schnelles WLAN im ganzen Haus",
            qualifications="Netzwerktechnikerin mit Zertifikat",
            languages="de,en",
            price_per_minute=200,
        ),
        "Ben": add_expert(
            db_session,
            "Ben Frei",
            categories=[printers],
            keywords="Scanner",
            slogan="Printing without tears",
            experience="Twenty years of office configurations",
            languages="en",
            price_per_minute=90,
        ),
        "Cleo": add_expert(
            db_session,
            "Cleo Meier",
            categories=[network],
            keywords="Firewall, VPN",
            slogan="Sichere Verbindungen",
            languages="de,fr",
            price_per_minute=None,
            price_per_session=4000,
        ),
    }
    return {"network": network, "wifi": wifi, "printers": printers, **experts}


def test_words_are_found_in_every_field_and_in_both_languages(db_session, catalogue):
    assert names(db_session, query="Keller") == ["Anna Keller"]  # the name
    assert names(db_session, query="WLAN") == ["Anna Keller"]  # German category name
    assert names(db_session, query="wi-fi") == ["Anna Keller"]  # English category name
    assert names(db_session, query="printers") == ["Ben Frei"]
    assert names(db_session, query="mesh") == ["Anna Keller"]  # a keyword
    assert names(db_session, query="zertifikat") == ["Anna Keller"]  # qualifications
    assert names(db_session, query="configurations") == ["Ben Frei"]  # experience
    assert names(db_session, query="Verbindung") == ["Cleo Meier"]  # slogan, a word form
    # A parent category's name finds the experts of its sub-categories too.
    assert sorted(names(db_session, query="Netzwerk")) == ["Anna Keller", "Cleo Meier"]
    assert names(db_session, query="router -mesh") == []


@pytest.mark.parametrize("word", ["Firewall", "Drucker", "Netzwerktechnikerin", "Printing"])
def test_a_word_is_found_while_it_is_being_typed(db_session, catalogue, word):
    for end in range(2, len(word) + 1):
        assert names(db_session, query=word[:end]), f"nothing found for {word[:end]!r}"


def test_filters_narrow_the_list(db_session, catalogue):
    everyone = sorted(names(db_session))
    assert everyone == ["Anna Keller", "Ben Frei", "Cleo Meier"]
    network = catalogue["network"].id
    assert sorted(names(db_session, category_id=network)) == ["Anna Keller", "Cleo Meier"]
    assert names(db_session, category_id=catalogue["wifi"].id) == ["Anna Keller"]
    assert sorted(names(db_session, language="de")) == ["Anna Keller", "Cleo Meier"]
    assert names(db_session, language="fr") == ["Cleo Meier"]
    assert names(db_session, language="it") == []
    assert names(db_session, min_price=100) == ["Anna Keller"]
    assert names(db_session, max_price=100) == ["Ben Frei"]
    assert names(db_session, min_price=3000, price_per="session") == ["Cleo Meier"]
    assert names(db_session, query="wlan", category_id=catalogue["printers"].id) == []


def test_online_experts_come_first_then_the_others_by_rank(db_session, catalogue):
    anna, ben, cleo = catalogue["Anna"], catalogue["Ben"], catalogue["Cleo"]
    rate(db_session, anna, 5, 60, 6000)
    rate(db_session, ben, 4, 30, 3000)
    rate(db_session, cleo, 2, 30, 3000)
    assert names(db_session) == ["Anna Keller", "Ben Frei", "Cleo Meier"]
    go_online(db_session, cleo)
    go_online(db_session, ben, idle=AWAY_AFTER * 2)  # away: not among the online ones
    assert names(db_session) == ["Cleo Meier", "Anna Keller", "Ben Frei"]
    assert names(db_session, online_only=True) == ["Cleo Meier"]
    statuses = {
        found.entry.display_name: found.status
        for found in search_experts(
            db_session=db_session, filters=Filters(), now=utcnow(), away_after=AWAY_AFTER
        ).experts
    }
    assert statuses == {"Cleo Meier": "online", "Anna Keller": "offline", "Ben Frei": "away"}


def test_words_and_filters_list_the_online_matches_first_with_every_status(db_session, catalogue):
    """With words the online group is found from the words' matches (on SQLite checked
    against the online experts' numbers); the statuses of the others are still asked."""
    anna, ben, cleo = catalogue["Anna"], catalogue["Ben"], catalogue["Cleo"]
    rate(db_session, anna, 5, 60, 6000)
    go_online(db_session, cleo)
    go_online(db_session, ben, idle=AWAY_AFTER * 2)  # away
    assert names(db_session, query="ne") == ["Cleo Meier", "Anna Keller"]
    assert names(db_session, query="ne", online_only=True) == ["Cleo Meier"]
    assert names(db_session, query="ne", category_id=catalogue["wifi"].id) == ["Anna Keller"]
    assert names(db_session, query="ne", language="fr") == ["Cleo Meier"]
    assert names(db_session, query="printing", online_only=True) == []
    found = search_experts(
        db_session=db_session,
        filters=Filters(query="ne or printing"),
        now=utcnow(),
        away_after=AWAY_AFTER,
        limit=1,
    )
    assert [(hit.entry.display_name, hit.status) for hit in found.experts] == [
        ("Cleo Meier", "online")
    ]
    seen, cursor = [], Cursor.decode(found.next_cursor)
    while cursor is not None:
        page = search_experts(
            db_session=db_session,
            filters=Filters(query="ne or printing"),
            now=utcnow(),
            away_after=AWAY_AFTER,
            limit=1,
            cursor=cursor,
        )
        seen += [(hit.entry.display_name, hit.status) for hit in page.experts]
        cursor = Cursor.decode(page.next_cursor) if page.next_cursor else None
    assert seen == [("Anna Keller", "offline"), ("Ben Frei", "away")]


def test_busy_and_away_experts_are_never_online(db_session, catalogue):
    """The expert desk's availability is the one source of an expert's status: an expert in
    a paid session or away by choice has a tab open and is still not offered as online."""
    anna, ben, cleo = catalogue["Anna"], catalogue["Ben"], catalogue["Cleo"]
    for profile in (anna, ben, cleo):
        go_online(db_session, profile)
    now = utcnow()
    availability.set_busy(db_session=db_session, staff_id=anna.staff_id, now=now)
    availability.set_away(db_session=db_session, staff_id=ben.staff_id, now=now)
    db_session.commit()
    assert names(db_session, online_only=True) == ["Cleo Meier"]
    assert names(db_session)[0] == "Cleo Meier"
    statuses = {
        found.entry.display_name: found.status
        for found in search_experts(
            db_session=db_session, filters=Filters(), now=utcnow(), away_after=AWAY_AFTER
        ).experts
    }
    assert statuses == {"Cleo Meier": "online", "Anna Keller": "busy", "Ben Frei": "away"}
    availability.clear_busy(db_session=db_session, staff_id=anna.staff_id, now=utcnow())
    db_session.commit()
    assert sorted(names(db_session, online_only=True)) == ["Anna Keller", "Cleo Meier"]


def test_a_flood_of_free_ratings_does_not_lift_an_expert(db_session, catalogue):
    anna, ben = catalogue["Anna"], catalogue["Ben"]
    rate(db_session, anna, 5, 25, 2500)
    for _ in range(30):
        rate(db_session, ben, 5, 0.5, 0)
    # Ben stands where Cleo, never rated, stands: ties go to the newer profile.
    assert names(db_session) == ["Anna Keller", "Cleo Meier", "Ben Frei"]


def test_only_approved_and_not_suspended_profiles_are_found(db_session, catalogue):
    add_expert(db_session, "Dora Waiting", keywords="Router", approved=False)
    add_expert(db_session, "Emil Suspended", keywords="Router", suspended=True)
    assert names(db_session, query="router") == ["Anna Keller"]
    anna = catalogue["Anna"]
    anna.suspended_at = utcnow()
    index.update_entry(db_session=db_session, profile=anna, now=utcnow())
    db_session.commit()
    assert names(db_session, query="router") == []
    anna.suspended_at = None
    anna.keywords = "Repeater"
    index.update_entry(db_session=db_session, profile=anna, now=utcnow())
    db_session.commit()
    assert names(db_session, query="router") == []  # the old keyword is forgotten
    assert names(db_session, query="repeater") == ["Anna Keller"]


def test_pages_follow_each_other_without_repeating_or_skipping(db_session, catalogue):
    for number in range(9):
        expert = add_expert(db_session, f"Expert {number}", keywords="Router")
        if number % 3 == 0:
            go_online(db_session, expert)
        if number % 2 == 0:
            rate(db_session, expert, 1 + number % 5, 20, 2000)
    everyone = names(db_session, query="router")
    assert len(everyone) == 10
    seen, cursor = [], None
    while True:
        page = search_experts(
            db_session=db_session,
            filters=Filters(query="router"),
            now=utcnow(),
            away_after=AWAY_AFTER,
            limit=3,
            cursor=cursor,
        )
        seen += [found.entry.display_name for found in page.experts]
        if page.next_cursor is None:
            break
        cursor = Cursor.decode(page.next_cursor)
    assert seen == everyone
    # The online ones first, by rank: unrated (3.5), then two and one stars.
    assert seen[:3] == ["Expert 3", "Expert 6", "Expert 0"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_text_is_a_valid_query(db_session, catalogue, query):
    names(db_session, query=query)


def test_a_cursor_not_handed_out_is_refused():
    for text in ("", "abc", "!!!!", "AAAA" * 10):
        with pytest.raises(ValueError):
            Cursor.decode(text)
