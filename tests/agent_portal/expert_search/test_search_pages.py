"""Expert search pages on both databases, as the search reads them: each group (online,
the others) in rank order up to the page's size. Paging with every filter gives the one
long list in its order; the online experts are those online at the moment asked, however
often the same search ran before; an index filled before the prefix indexes finds what
it found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_search import plan_choices, search
from agent_portal.expert_search.search import Cursor, Filters, search_experts
from agent_portal.experts.models import ExpertProfile
from agent_portal.migrate import alembic_config, upgrade_to_head
from agent_portal.realtime.presence import STALE_AFTER
from tests.agent_portal.expert_search.search_data import (
    AWAY_AFTER,
    add_category,
    add_expert,
    go_online,
    rate,
)


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def paged(db_session: Session, filters: Filters, limit: int, now=None) -> list[str]:
    seen, cursor = [], None
    while True:
        page = search_experts(
            db_session=db_session,
            filters=filters,
            now=now or utcnow(),
            away_after=AWAY_AFTER,
            limit=limit,
            cursor=cursor,
        )
        assert len(page.experts) <= limit
        seen += [found.entry.display_name for found in page.experts]
        if page.next_cursor is None:
            return seen
        cursor = Cursor.decode(page.next_cursor)


@pytest.fixture
def crowd(db_session):
    """Sixteen experts: every fourth online, ratings in four steps (ties too), two
    languages, prices from 40 to 190 a minute, keywords Router or Drucker."""
    network = add_category(db_session, "Netzwerk", "Network")
    wifi = add_category(db_session, "WLAN", "Wi-Fi", parent=network)
    printers = add_category(db_session, "Drucker", "Printers")
    experts = {}
    for number in range(16):
        name = f"Expert {number:02d}"
        expert = add_expert(
            db_session,
            name,
            categories=[wifi if number % 2 else printers],
            keywords="Router" if number % 3 else "Drucker",
            languages="de,en" if number % 5 else "en",
            price_per_minute=40 + 10 * number,
        )
        if number % 4 == 0:
            go_online(db_session, expert)
        if number % 4 != 3:
            rate(db_session, expert, 2 + number % 4, 20, 2000)
        experts[name] = expert
    return {"network": network, "wifi": wifi, "printers": printers, **experts}


FILTERS = [
    {},
    {"query": "rout"},
    {"query": "netz"},
    {"language": "de"},
    {"min_price": 60, "max_price": 170},
    {"query": "expert", "language": "en", "max_price": 150},
    {"online_only": True},
    {"online_only": True, "query": "druck"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda filters: ",".join(filters) or "all")
def test_pages_give_the_one_list_with_any_filter(db_session, crowd, filters):
    if "query" in filters or filters.get("online_only"):
        filters = {**filters}
    else:
        filters = {**filters, "category_id": crowd["network"].id}
    everyone = paged(db_session, Filters(**filters), 50)
    for limit in (1, 2, 3):
        assert paged(db_session, Filters(**filters), limit) == everyone, limit


CATEGORY_FILTERS = [
    {},
    {"query": "rout"},
    {"query": "dru"},
    {"language": "de", "max_price": 150},
    {"online_only": True},
]


READ_WHOLE, ASKED_OF_EACH_ENTRY = 10**9, 0  # values of `FEW_IN_CATEGORY`


@pytest.mark.parametrize(
    "filters", CATEGORY_FILTERS, ids=lambda filters: ",".join(filters) or "category"
)
def test_a_category_read_either_way_gives_the_one_list(db_session, crowd, monkeypatch, filters):
    """SQLite reads a category of fewer than `FEW_IN_CATEGORY` entries whole and asks a
    bigger one of each entry it passes over: both give the same list, page by page."""
    monkeypatch.setattr(plan_choices, "_choices", {})  # each way chosen anew for this crowd
    for category in ("network", "wifi", "printers"):
        chosen = Filters(**filters, category_id=crowd[category].id)
        monkeypatch.setattr(search, "FEW_IN_CATEGORY", READ_WHOLE)
        expected = paged(db_session, chosen, 50)
        if not filters:
            assert expected, category
        for few in (READ_WHOLE, ASKED_OF_EACH_ENTRY):
            monkeypatch.setattr(search, "FEW_IN_CATEGORY", few)
            for limit in (1, 2, 50):
                assert paged(db_session, chosen, limit) == expected, (category, few, limit)


def test_an_expert_with_several_tabs_is_listed_once(db_session, crowd):
    """Who is online is asked per open tab (`availability.online_staff_query`): an expert
    with two tabs in use and an idle one is still one expert, online; one whose tabs are
    all idle is not online."""
    go_online(db_session, crowd["Expert 12"])
    go_online(db_session, crowd["Expert 12"], idle=AWAY_AFTER * 2)
    go_online(db_session, crowd["Expert 01"], idle=AWAY_AFTER * 2)
    go_online(db_session, crowd["Expert 01"], idle=AWAY_AFTER * 3)
    online = ["Expert 12", "Expert 08", "Expert 04", "Expert 00"]
    for filters in (Filters(online_only=True), Filters(online_only=True, query="expert")):
        for limit in (1, 3, 50):
            assert paged(db_session, filters, limit) == online
    everyone = paged(db_session, Filters(), 2)
    assert everyone[:4] == online
    assert sorted(everyone) == sorted(f"Expert {number:02d}" for number in range(16))


def test_the_one_list_is_online_first_then_by_rank(db_session, crowd):
    everyone = paged(db_session, Filters(category_id=crowd["network"].id), 50)
    # Odd numbers are in Wi-Fi, below Network; none of them is online (every fourth is).
    # Unrated ones stand at 3.5 (3, 7, 11, 15), above three stars (1, 5, 9, 13); ties
    # go to the newer profile.
    assert everyone == [f"Expert {number:02d}" for number in (15, 11, 7, 3, 13, 9, 5, 1)]
    online = paged(db_session, Filters(), 50)[:4]
    assert online == ["Expert 12", "Expert 08", "Expert 04", "Expert 00"]
    prices = paged(db_session, Filters(min_price=100, max_price=130), 50)
    # 08 online; then four stars (06), unrated (07), three stars (09).
    assert prices == ["Expert 08", "Expert 06", "Expert 07", "Expert 09"]


def test_who_is_online_is_asked_at_the_moment_of_each_search(db_session, crowd):
    """The same search run again (its statement is built once) asks of its own moment."""
    online = ["Expert 12", "Expert 08", "Expert 04", "Expert 00"]
    assert paged(db_session, Filters(online_only=True), 2) == online
    later = utcnow() + STALE_AFTER + timedelta(seconds=1)  # the tabs' rows are stale by then
    assert paged(db_session, Filters(online_only=True), 2, now=later) == []
    go_online(db_session, crowd["Expert 01"])
    assert paged(db_session, Filters(online_only=True), 2) == ["Expert 01", *online]
    page = search_experts(
        db_session=db_session, filters=Filters(), now=later, away_after=AWAY_AFTER, limit=16
    )
    assert {found.status for found in page.experts} == {"offline"}


def test_an_index_filled_before_the_prefix_indexes_finds_the_same(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "e100")
    with make_session_factory(engine)() as db_session:
        add_expert(db_session, "Paula Pass", keywords="Passwort, Netzwerkkarte")
        add_expert(db_session, "Quirin Quer", keywords="Drucker")
    upgrade_to_head(engine)
    with make_session_factory(engine)() as db_session:
        for typed in ("pa", "pas", "pass", "passw", "passwo", "netzw", "Paula"):
            assert paged(db_session, Filters(query=typed), 5) == ["Paula Pass"], typed
        add_expert(db_session, "Rita Passend", keywords="Passfoto")
        assert sorted(paged(db_session, Filters(query="pass"), 5)) == [
            "Paula Pass",
            "Rita Passend",
        ]
        assert paged(db_session, Filters(query="druc"), 5) == ["Quirin Quer"]
    engine.dispose()


def test_upgrading_takes_the_entries_of_accounts_no_longer_active_experts_out(database_url):
    """Before e103 a deactivated expert stayed findable; the upgrade takes them out."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(engine, connection), "e102")
    with make_session_factory(engine)() as db_session:
        for name in ("Ida Inactive", "Gert Agent", "Vera Active"):
            add_expert(db_session, name, keywords="Router")
        # Changed as before e103, which left the entries alone.
        for profile in db_session.scalars(select(ExpertProfile)):
            if profile.display_name == "Ida Inactive":
                profile.staff.is_active = False
            elif profile.display_name == "Gert Agent":
                profile.staff.role = "agent"
        db_session.commit()
        assert len(paged(db_session, Filters(query="rout"), 5)) == 3
    upgrade_to_head(engine)
    with make_session_factory(engine)() as db_session:
        assert paged(db_session, Filters(query="rout"), 5) == ["Vera Active"]
        assert paged(db_session, Filters(), 5) == ["Vera Active"]
    engine.dispose()
