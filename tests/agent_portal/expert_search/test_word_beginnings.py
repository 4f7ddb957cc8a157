"""SQLite asks a word that many experts' texts contain of each entry while it reads a group
in rank order (`expert_search_terms`, kept by triggers with FTS5's own words), and lists a
rarer word by FTS5 first: both give the same experts in the same order, whatever the
texts (umlauts, hyphens, case), and the words follow each change of a profile."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_search import index, plan_choices, word_table
from agent_portal.expert_search.models import TERMS_TABLE
from agent_portal.expert_search.search import Filters
from agent_portal.fulltext import fts5_plain_prefixes
from tests.agent_portal.expert_search.search_data import add_expert, go_online, rate
from tests.agent_portal.expert_search.test_search_pages import paged

WALKED = 10**9  # a value of MANY_MATCHES_ONE_IN: one match is many


@pytest.fixture
def db_session(sqlite_template: Path, tmp_path: Path) -> Iterator[Session]:
    """SQLite only: PostgreSQL searches its tsvector; the word table is SQLite's."""
    shutil.copyfile(sqlite_template, tmp_path / "portal.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def found_either_way(db_session, monkeypatch, filters: Filters, limit: int) -> tuple[list, list]:
    """The list with every word beginning asked of each entry, and as FTS5 lists them."""
    monkeypatch.setattr(word_table, "MANY_MATCHES_ONE_IN", WALKED)
    monkeypatch.setattr(plan_choices, "_choices", {})  # chosen anew for these entries
    walked = paged(db_session, filters, limit)
    with monkeypatch.context() as listing:
        listing.setattr(word_table, "beginnings", lambda *_: [])
        listed = paged(db_session, filters, limit)
    return walked, listed


@pytest.fixture
def experts(db_session):
    """Twelve experts with German and English words, some online, ranked apart."""
    texts = [
        "Netzwerk-Kabel Router WLAN",
        "Drucker Treiber Scanner",
        "Passwörter Straße Übertragung",
        "router configuration Wi-Fi",
        "Netzwerkdrucker Zertifikate",
        "Zebra Zeitplan Verbindung",
    ]
    made = []
    for number in range(12):
        profile = add_expert(
            db_session, f"Expert {number:02d}", keywords=texts[number % len(texts)]
        )
        if number % 3 == 0:
            go_online(db_session, profile)
        rate(db_session, profile, 1 + number % 5, minutes=20, cents=2000)
        made.append(profile)
    return made


QUERIES = [
    "rout",
    "netzw",
    "net",
    "ze",
    "stra",
    "passwo",
    "ubert",
    "wifi",
    "dru tre",
    "expert 0",
    "zzz",
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_word_asked_of_each_entry_finds_the_list_fts5_finds(
    db_session, experts, monkeypatch, query
):
    assert fts5_plain_prefixes(query) is not None
    for limit in (1, 3, 50):
        walked, listed = found_either_way(db_session, monkeypatch, Filters(query=query), limit)
        assert walked == listed, (query, limit)
    if query != "zzz":
        assert listed, query
    online_only = Filters(query=query, online_only=True, language="de")
    walked, listed = found_either_way(db_session, monkeypatch, online_only, 2)
    assert walked == listed


def test_the_choice_is_kept_for_a_while_and_made_anew_after(db_session, experts, monkeypatch):
    """Whether many entries match is counted once a minute per query: a stale choice costs
    time, never an expert."""
    monkeypatch.setattr(plan_choices, "_choices", {})
    monkeypatch.setattr(word_table, "MANY_MATCHES_ONE_IN", WALKED)  # one match is many
    clock = [1000.0]
    monkeypatch.setattr(plan_choices.time, "monotonic", lambda: clock[0])
    match = '("glasf"*)'
    assert word_table.beginnings(db_session, "glasf", match) == []  # nobody yet
    add_expert(db_session, "Gina Glas", keywords="Glasfaser")
    assert word_table.beginnings(db_session, "glasf", match) == []  # the choice holds
    assert paged(db_session, Filters(query="glasf"), 5) == ["Gina Glas"]
    clock[0] += plan_choices.CHOICE_SECONDS + 1
    assert word_table.beginnings(db_session, "glasf", match) == ["glasf"]
    assert paged(db_session, Filters(query="glasf"), 5) == ["Gina Glas"]


def test_several_beginnings_are_walked_when_each_alone_has_many_matches(
    db_session, experts, monkeypatch
):
    """Each beginning is counted alone (and kept), never their combination: "dru rout" is
    walked though nobody has both, "dru zzz" is listed by FTS5."""
    monkeypatch.setattr(plan_choices, "_choices", {})
    monkeypatch.setattr(word_table, "MANY_MATCHES_ONE_IN", 6)  # 2 of the 12 are many
    asked = []
    counted = plan_choices.chosen

    def chosen(db_session, question, count):
        asked.append(question[1])
        return counted(db_session, question, count)

    monkeypatch.setattr(plan_choices, "chosen", chosen)
    both = '("dru"* AND "rout"*)'
    assert word_table.beginnings(db_session, "dru rout", both) == ["dru", "rout"]
    assert asked == ['("dru"*)', '("rout"*)']
    assert word_table.beginnings(db_session, "dru zzz", '("dru"* AND "zzz"*)') == []
    assert word_table.beginnings(db_session, "dru", '("dru"*)') == ["dru"]
    assert asked == ['("dru"*)', '("rout"*)', '("dru"*)', '("zzz"*)', '("dru"*)']
    assert paged(db_session, Filters(query="dru rout"), 5) == []
    assert paged(db_session, Filters(query="dru tre"), 5) == ["Expert 07", "Expert 01"]


def test_only_plain_word_beginnings_are_asked_of_each_entry():
    assert fts5_plain_prefixes("Netzw rout") == ["netzw", "rout"]
    # Umlauts, phrases, `or`, exclusions and signs inside a word stay with FTS5.
    for query in ("straß", '"wi fi"', "router or drucker", "router -wlan", "wi-fi", "a_b"):
        assert fts5_plain_prefixes(query) is None, query


def terms_of(db_session, profile) -> set[str]:
    rows = db_session.execute(
        text(f"SELECT term FROM {TERMS_TABLE} WHERE profile_id = :id"), {"id": profile.id}
    )
    return {term for (term,) in rows}


def test_the_words_follow_each_change_of_a_profile(db_session, experts, monkeypatch):
    monkeypatch.setattr(word_table, "MANY_MATCHES_ONE_IN", WALKED)
    monkeypatch.setattr(plan_choices, "_choices", {})
    profile = experts[1]
    assert {"drucker", "treiber", "scanner"} <= terms_of(db_session, profile)

    profile.keywords = "Glasfaser Übergabepunkt"
    index.update_entry(db_session=db_session, profile=profile, now=utcnow())
    db_session.commit()
    assert "Expert 01" in paged(db_session, Filters(query="glasf"), 50)
    assert "Expert 01" not in paged(db_session, Filters(query="scann"), 50)
    assert "ubergabepunkt" in terms_of(db_session, profile)  # FTS5's words, no umlaut

    rate(db_session, profile, 5, minutes=60, cents=9000)  # the rank alone changes
    assert "Expert 01" in paged(db_session, Filters(query="glasf"), 50)

    profile.suspended_at = utcnow()
    index.update_entry(db_session=db_session, profile=profile, now=utcnow())
    db_session.commit()
    assert terms_of(db_session, profile) == set()
    assert "Expert 01" not in paged(db_session, Filters(query="glasf"), 50)


WORD = st.text(alphabet="abcdezäöüßé-", min_size=1, max_size=9)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(st.lists(WORD, min_size=1, max_size=5), min_size=1, max_size=6),
    beginnings=st.lists(st.text(alphabet="abcdezä-", min_size=1, max_size=4), max_size=3),
)
def test_any_texts_give_the_same_experts_either_way(db_session, monkeypatch, texts, beginnings):
    db_session.execute(text("DELETE FROM expert_search_entries"))
    for number, keywords in enumerate(texts):
        add_expert(db_session, f"Exp {number}", keywords=" ".join(keywords))
    query = " ".join(beginnings) or "a"
    walked, listed = found_either_way(db_session, monkeypatch, Filters(query=query), 50)
    assert sorted(walked) == sorted(listed)
    assert walked == listed
