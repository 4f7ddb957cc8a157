"""The ranking of experts: what customers see in a category list must not be for sale to
friends who click, and must follow the ratings people paid for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_portal.config import PortalSettings
from agent_portal.expert_search.ranking import (
    DEFAULT_RULES,
    RankingRules,
    Rating,
    order,
    rank,
    weight,
    worked_example,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "experts.md"

scores = st.integers(min_value=1, max_value=5)
# A flood: chats of at most 30 seconds, free.
free_chats = st.builds(Rating, scores, st.floats(0, 0.5), st.just(0))
short_chats = st.builds(
    Rating, scores, st.floats(0, DEFAULT_RULES.min_minutes, exclude_max=True), st.integers(0, 10**6)
)
zero_weight = st.one_of(free_chats, short_chats)
paid = st.builds(Rating, scores, st.floats(DEFAULT_RULES.min_minutes, 600), st.integers(1, 200_000))
any_rating = st.one_of(zero_weight, paid)
long_paid = st.builds(Rating, st.integers(4, 5), st.floats(20, 180), st.integers(2000, 50_000))


def test_a_free_or_very_short_session_weighs_nothing():
    assert weight(Rating(5, 0.5, 0)) == 0
    assert weight(Rating(5, 90, 0)) == 0  # long but free
    assert weight(Rating(5, 1, 5000)) == 0  # paid but under the minimum length
    assert weight(Rating(5, 10, 1000)) == 1  # the reference session
    assert weight(Rating(5, 600, 10**6)) == DEFAULT_RULES.weight_cap  # one big one: capped


def test_without_weighty_ratings_an_expert_stands_at_the_prior_mean():
    assert rank([]).score == DEFAULT_RULES.prior_mean
    assert rank([Rating(1, 0.5, 0)] * 1000) == (DEFAULT_RULES.prior_mean, 0, 1000)


def test_a_score_outside_one_to_five_is_refused():
    with pytest.raises(ValueError, match="1-5"):
        rank([Rating(6, 10, 1000)])
    with pytest.raises(ValueError, match="prior mean"):
        RankingRules(prior_mean=0)


@given(flood=st.lists(zero_weight, max_size=300), good=st.lists(long_paid, min_size=1, max_size=3))
def test_a_flood_of_free_chats_cannot_lift_an_expert_over_a_few_long_paid_sessions(flood, good):
    assert order({"flooded": flood, "earned": good}) == ["earned", "flooded"]


@given(
    experts=st.dictionaries(st.integers(0, 50), st.lists(any_rating, max_size=8), max_size=8),
    extra=zero_weight,
    data=st.data(),
)
def test_the_order_stays_when_a_zero_weight_rating_is_added(experts, extra, data):
    before = order(experts)
    if not experts:
        return
    who = data.draw(st.sampled_from(sorted(experts)))
    after = order({**experts, who: [*experts[who], extra]})
    assert after == before


@given(ratings=st.lists(any_rating, max_size=50))
def test_the_score_stays_within_one_and_five(ratings):
    assert 1 <= rank(ratings).score <= 5


@given(ratings=st.lists(any_rating, max_size=50), better=paid)
def test_a_weighty_rating_above_the_current_score_lifts_it(ratings, better):
    current = rank(ratings).score
    if better.score <= current or weight(better) == 0:
        return
    assert rank([*ratings, better]).score > current


@given(ratings=st.lists(any_rating, max_size=50), worse=paid)
def test_a_weighty_rating_below_the_current_score_lowers_it(ratings, worse):
    current = rank(ratings).score
    if worse.score >= current or weight(worse) == 0:
        return
    assert rank([*ratings, worse]).score < current


def test_the_constants_are_settings(monkeypatch):
    monkeypatch.setenv("PORTAL_EXPERT_RANK_PRIOR_WEIGHT", "8")
    monkeypatch.setenv("PORTAL_EXPERT_RANK_MIN_MINUTES", "5")
    rules = PortalSettings(_env_file=None).expert_ranking_rules
    assert rules == RankingRules(prior_weight=8, min_minutes=5)
    assert weight(Rating(5, 4, 5000), rules) == 0


def test_the_worked_example_in_the_documentation_is_what_the_code_computes():
    text = DOC.read_text(encoding="utf-8")
    example = worked_example()
    # | B | 5 | 120 | 12000 | 3.000 |  (expert, stars, minutes, cents, weight)
    rows = re.findall(r"^\| (\w) \| (\d) \| ([\d.]+) \| (\d+) \| ([\d.]+) \|$", text, re.M)
    expected_rows = [
        (expert, str(stars), f"{minutes:g}", str(cents), f"{w:.3f}")
        for expert, result in example.items()
        for stars, minutes, cents, w in result["ratings"]
    ]
    assert rows == expected_rows
    # | B | 5.000 | 4.130 |  (expert, sum of weights, score)
    totals = re.findall(r"^\| (\w) \| ([\d.]+) \| ([\d.]+) \|$", text, re.M)
    assert totals == [
        (expert, f"{result['weight']:.3f}", f"{result['score']:.3f}")
        for expert, result in example.items()
    ]
