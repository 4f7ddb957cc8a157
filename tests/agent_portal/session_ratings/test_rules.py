"""The two pure rules of ratings, property-based: the Wilson lower bound (95 %) that orders
ratings by helpful votes lies in [0, 1], rises with every helpful vote and falls with every
unhelpful one; the reveal rule shows both sides' ratings once both rated or the deadline
passed, never before, and rating closes exactly when the deadline reveals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_portal.session_ratings import reveal, wilson
from tests.support.hypothesis_budget import examples

votes = st.integers(min_value=0, max_value=10_000)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(days=1), max_value=timedelta(days=365))
offsets = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))


@settings(max_examples=examples(300))
@given(helpful=votes, not_helpful=votes)
def test_the_wilson_bound_is_a_share(helpful, not_helpful):
    bound = wilson.lower_bound(helpful, not_helpful)
    assert 0.0 <= bound <= 1.0
    if helpful + not_helpful:
        assert bound <= helpful / (helpful + not_helpful) + 1e-12, "a lower bound of the share"


@settings(max_examples=examples(300))
@given(helpful=votes, not_helpful=votes)
def test_the_wilson_bound_rises_with_helpful_votes_and_falls_with_unhelpful_ones(
    helpful, not_helpful
):
    bound = wilson.lower_bound(helpful, not_helpful)
    assert wilson.lower_bound(helpful + 1, not_helpful) > bound - 1e-12
    assert wilson.lower_bound(helpful, not_helpful + 1) <= bound + 1e-12


def test_few_votes_say_less_than_many():
    assert wilson.lower_bound(0, 0) == 0.0
    assert wilson.lower_bound(9, 1) > wilson.lower_bound(1, 0)
    assert wilson.lower_bound(1, 0) == pytest.approx(0.2065, abs=1e-4)
    assert wilson.lower_bound(90, 10) == pytest.approx(0.8256, abs=1e-4)
    with pytest.raises(ValueError):
        wilson.lower_bound(-1, 3)


@settings(max_examples=examples(300))
@given(ended=moments, after=spans, offset=offsets, given_count=st.integers(0, 2))
def test_ratings_are_revealed_when_both_rated_or_the_deadline_passed(
    ended, after, offset, given_count
):
    now = ended + offset
    revealed = reveal.is_revealed(
        ratings_given=given_count, ended_at=ended, now=now, reveal_after=after
    )
    assert revealed == (given_count == 2 or now >= ended + after)
    # Rating is open exactly while the deadline has not revealed anything.
    is_open = reveal.is_open(ended_at=ended, now=now, reveal_after=after)
    assert is_open == (now < ended + after)
    assert is_open or revealed


@settings(max_examples=examples(200))
@given(ended=moments, after=spans, offset=offsets)
def test_a_revealed_rating_stays_revealed(ended, after, offset):
    now = ended + offset
    for given_count in (0, 1, 2):
        if reveal.is_revealed(
            ratings_given=given_count, ended_at=ended, now=now, reveal_after=after
        ):
            later = now + timedelta(seconds=1)
            assert reveal.is_revealed(
                ratings_given=given_count, ended_at=ended, now=later, reveal_after=after
            )
            assert reveal.is_revealed(
                ratings_given=min(2, given_count + 1), ended_at=ended, now=now, reveal_after=after
            )
