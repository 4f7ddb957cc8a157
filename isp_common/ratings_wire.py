"""Ratings of paid expert sessions on the wire: what the portal and the assistant exchange.

After a paid session (ended, something charged) both sides rate each other: 1 to 5 stars
and a text, about the session's topic. The customer rates the expert in the assistant,
the expert the customer in the portal. Neither sees the other's rating before both have
rated or `PORTAL_RATING_REVEAL_DAYS` have passed since the session ended; rating closes
then. Amounts are integers in minor units of `currency`.

    GET  /api/v1/session-ratings/rateable          (a linked device) -> RateableSessionList
    GET  /api/v1/session-ratings/{session_id}      -> SessionRatingState
    POST /api/v1/session-ratings/{session_id}      RatingInput -> SessionRatingState
    GET  /api/v1/experts/{expert_id}/ratings?category=   -> PublicRatingList
    PUT  /api/v1/session-ratings/votes/{rating_id} VoteInput -> PublicRating

Refusals carry a stable `code` (`RatingRefusal`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

RATINGS_PATH = "/api/v1/session-ratings"
RATEABLE_PATH = RATINGS_PATH + "/rateable"
VOTES_PATH = RATINGS_PATH + "/votes"
EXPERT_RATINGS_PATH = "/api/v1/experts/{expert_id}/ratings"

STARS_MIN = 1
STARS_MAX = 5
TEXT_MAX = 2000
"""The longest text of a rating, in characters."""


class RatingRefusal(StrEnum):
    stars = "rating_stars"  # not within 1-5
    text_too_long = "rating_text_too_long"
    not_found = "rating_session_not_found"  # no such session of this customer / expert
    not_rateable = "rating_session_not_rateable"  # not ended, or nothing charged
    closed = "rating_closed"  # the time to rate has passed
    already_rated = "rating_already_given"
    rating_not_found = "rating_not_found"  # a vote on a rating that is not shown
    own_rating = "rating_vote_own"  # a customer votes on their own rating


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class RatingInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stars: int
    text: str = ""


class VoteInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    helpful: bool


class RateableSession(_Wire):
    """A paid session the customer can still rate."""

    session_id: int
    expert_id: int
    expert_name: str
    category_id: int | None = None
    category_name: str = ""
    ended_at: datetime
    rate_until: datetime
    """After this, rating closes and what was given is revealed."""
    charged: int
    currency: str


class RateableSessionList(_Wire):
    sessions: list[RateableSession] = Field(default_factory=list)


class GivenRating(_Wire):
    stars: int
    text: str
    rated_at: datetime


class SessionRatingState(_Wire):
    """One session's ratings as one side sees them: its own, and the other's once both
    are revealed (`revealed`); `other` stays None before."""

    session_id: int
    mine: GivenRating | None = None
    other: GivenRating | None = None
    revealed: bool = False
    rate_until: datetime


class PublicRating(_Wire):
    """A customer's revealed rating of an expert, as other customers read it."""

    id: int
    stars: int
    text: str
    category_id: int | None = None
    category_name: str = ""
    rated_at: datetime
    helpful: int
    not_helpful: int
    my_vote: bool | None = None
    """The asking customer's vote: True helpful, False not, None none."""


class TopicScore(_Wire):
    """The expert's ranking score over the ratings of one topic (docs/experts.md)."""

    category_id: int | None = None
    category_name: str = ""
    score: float
    rated_sessions: int


class PublicRatingList(_Wire):
    ratings: list[PublicRating] = Field(default_factory=list)
    """Most helpful first: by the Wilson lower bound of the helpful votes."""
    score: float | None = None
    """The expert's ranking score, 1 to 5; None for an expert customers cannot find."""
    rated_sessions: int = 0
    topics: list[TopicScore] = Field(default_factory=list)
    """Per topic, the best first."""
