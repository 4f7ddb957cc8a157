"""How experts are ranked: a weighted Bayesian average of their ratings. Pure functions on
numbers, no database (the ratings are read by `agent_portal.expert_search.ratings`).

Each rating is a triple (score 1-5, minutes the session lasted, cents actually paid). Its
weight says how much evidence it is:

    w = 0                                                 if cents = 0 or minutes < min_minutes
    w = min(cap, sqrt(minutes / ref_minutes * cents / ref_cents))   otherwise

- A free session, or one shorter than `min_minutes`, weighs nothing: a 30-second free
  chat cannot move anyone's rank, however many there are. Friends who rate each other up
  must pay for it, in time and in money, every time.
- The geometric mean of time and money: both must be spent. A long free chat or a short
  expensive one weighs little; a session of `ref_minutes` paid `ref_cents` weighs 1.
- Capped at `cap`: one big session counts as at most `cap` ordinary ones, so it cannot
  decide an expert's rank alone (and a rich friend cannot buy a rank with one session).

The score is the Bayesian average towards the prior mean `prior_mean` with the weight of
`prior_weight` ratings:

    score = (prior_weight * prior_mean + sum(w * score)) / (prior_weight + sum(w))

An expert without weighty ratings stands at the prior mean; a few good sessions lift them
a little, many lift them close to their own mean: the estimate is shrunk towards the mean
of all experts in proportion to how little evidence there is (the "true Bayesian
estimate" of rating sites, with evidence measured in weight instead of votes). It stays
within [1, 5], being a weighted mean of numbers that are.

`docs/experts.md` shows a worked example; its numbers come from `worked_example()`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

Key = TypeVar("Key")

SCORE_MIN = 1
SCORE_MAX = 5


class Rating(NamedTuple):
    score: int  # 1-5 stars
    minutes: float  # how long the session lasted
    cents: int  # what the customer actually paid, in minor units


@dataclass(frozen=True)
class RankingRules:
    """The constants of the formula; the server reads them from `PORTAL_EXPERT_RANK_*`."""

    prior_mean: float = 3.5
    prior_weight: float = 5.0
    weight_cap: float = 3.0
    min_minutes: float = 2.0
    ref_minutes: float = 10.0
    ref_cents: int = 1000

    def __post_init__(self) -> None:
        if not SCORE_MIN <= self.prior_mean <= SCORE_MAX:
            raise ValueError(f"the prior mean must lie within {SCORE_MIN}-{SCORE_MAX}")
        if self.prior_weight <= 0 or self.weight_cap <= 0:
            raise ValueError("the prior weight and the cap must be positive")
        if self.min_minutes < 0 or self.ref_minutes <= 0 or self.ref_cents <= 0:
            raise ValueError("the minimum minutes may not be negative, the references > 0")


DEFAULT_RULES = RankingRules()


class Ranked(NamedTuple):
    score: float  # the weighted Bayesian average, within [1, 5]
    weight: float  # the evidence behind it: the sum of the ratings' weights
    count: int  # every rating, weighty or not


def weight(rating: Rating, rules: RankingRules = DEFAULT_RULES) -> float:
    if rating.cents <= 0 or rating.minutes < rules.min_minutes:
        return 0.0
    evidence = math.sqrt(rating.minutes / rules.ref_minutes * rating.cents / rules.ref_cents)
    return min(rules.weight_cap, evidence)


def rank(ratings: Iterable[Rating], rules: RankingRules = DEFAULT_RULES) -> Ranked:
    total = weighted = 0.0
    count = 0
    for rating in ratings:
        if not SCORE_MIN <= rating.score <= SCORE_MAX:
            raise ValueError(f"a rating's score lies within {SCORE_MIN}-{SCORE_MAX}")
        count += 1
        w = weight(rating, rules)
        total += w
        weighted += w * rating.score
    score = (rules.prior_weight * rules.prior_mean + weighted) / (rules.prior_weight + total)
    # Rounding may not carry a mean of numbers in [1, 5] outside of it.
    return Ranked(min(SCORE_MAX, max(SCORE_MIN, score)), total, count)


def order(
    ratings_by_expert: Mapping[Key, Sequence[Rating]], rules: RankingRules = DEFAULT_RULES
) -> list[Key]:
    """The experts best first: by score, then by the evidence behind it, then by key (so
    the order is the same every time)."""
    ranked = {key: rank(ratings, rules) for key, ratings in ratings_by_expert.items()}
    return sorted(ranked, key=lambda key: (-ranked[key].score, -ranked[key].weight, key))


# The example of docs/experts.md, computed with the default rules: A collected 40 five-star
# ratings of free 30-second chats, B three paid sessions, C one very long one.
EXAMPLE = {
    "A": [Rating(5, 0.5, 0)] * 40,
    "B": [Rating(5, 120, 12_000), Rating(4, 12, 1200), Rating(5, 8, 800)],
    "C": [Rating(5, 240, 50_000)],
}


def worked_example(rules: RankingRules = DEFAULT_RULES) -> dict[str, dict]:
    """Per expert: each distinct rating with its weight, the sum of the weights and the
    score, rounded to three places as the documentation shows them."""
    return {
        expert: {
            "ratings": [
                (*rating, round(weight(rating, rules), 3)) for rating in dict.fromkeys(ratings)
            ],
            "weight": round(rank(ratings, rules).weight, 3),
            "score": round(rank(ratings, rules).score, 3),
        }
        for expert, ratings in EXAMPLE.items()
    }
