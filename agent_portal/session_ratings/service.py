"""The rules of rating paid sessions. Functions take a database session, flush and never
commit: the route or job owns the transaction.

- `rate`: one side rates the other (1-5 stars, a text of at most `TEXT_MAX` characters),
  once per side per session, only an ended session that was paid for, and only until
  the reveal deadline. The second rating reveals both.
- `reveal_due`: the job's part: reveals what was given for sessions past the deadline.
- Revealing a customer's rating writes the ranking's row (`ExpertRating`: stars, billed
  seconds, charged cents, topic) and refreshes the expert's search score.
- `vote`: another customer finds a revealed rating helpful or not (one vote, changeable).
- `public_ratings`: an expert's revealed ratings, most helpful first (Wilson bound).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.expert_search import index
from agent_portal.expert_search.models import ExpertRating
from agent_portal.expert_search.ranking import DEFAULT_RULES, RankingRules
from agent_portal.paid_sessions.models import PaidSession
from agent_portal.session_ratings import errors, reveal, wilson
from agent_portal.session_ratings.models import SessionRating, SessionRatingVote
from isp_common.ratings_wire import STARS_MAX, STARS_MIN, TEXT_MAX

CUSTOMER = "customer"
EXPERT = "expert"


@dataclass(frozen=True)
class Rules:
    reveal_after: timedelta = timedelta(days=14)
    ranking: RankingRules = DEFAULT_RULES

    @classmethod
    def from_settings(cls, settings) -> Rules:
        return cls(
            reveal_after=timedelta(days=settings.rating_reveal_days),
            ranking=settings.expert_ranking_rules,
        )


def _charged(session: PaidSession) -> int:
    return session.amount - session.waived


def is_paid(session: PaidSession) -> bool:
    """Ended, with something charged: a session both sides may rate."""
    return session.status == "ended" and session.ended_at is not None and _charged(session) > 0


def rate_until(session: PaidSession, rules: Rules) -> datetime:
    return reveal.deadline(session.ended_at, rules.reveal_after)


def session_of(db_session: Session, *, session_id: int, side: str, person_id: int) -> PaidSession:
    """The paid session if it is this customer's (side customer) or this expert's (staff
    id, side expert); another's reads as not found."""
    found = db_session.get(PaidSession, session_id)
    owner = None
    if found is not None:
        owner = found.customer_id if side == CUSTOMER else found.expert_staff_id
    if owner != person_id:
        raise errors.SessionNotFound()
    return found


def ratings_of_session(db_session: Session, session_id: int) -> dict[str, SessionRating]:
    rows = db_session.scalars(
        select(SessionRating).where(SessionRating.paid_session_id == session_id)
    )
    return {row.side: row for row in rows}


def validated(stars: int, text: str) -> str:
    if not STARS_MIN <= stars <= STARS_MAX:
        raise errors.StarsOutOfRange(low=STARS_MIN, high=STARS_MAX)
    text = text.strip()
    if len(text) > TEXT_MAX:
        raise errors.TextTooLong(limit=TEXT_MAX)
    return text


def rate(
    db_session: Session,
    *,
    session_id: int,
    side: str,
    person_id: int,
    stars: int,
    text: str,
    now: datetime,
    rules: Rules,
) -> SessionRating:
    session = session_of(db_session, session_id=session_id, side=side, person_id=person_id)
    if not is_paid(session):
        raise errors.NotRateable()
    text = validated(stars, text)
    given = ratings_of_session(db_session, session.id)
    if side in given:
        raise errors.AlreadyRated()
    if not reveal.is_open(ended_at=session.ended_at, now=now, reveal_after=rules.reveal_after):
        raise errors.RatingClosed()
    rating = SessionRating(
        paid_session_id=session.id,
        side=side,
        stars=stars,
        text=text,
        category_id=session.category_id,
        created_at=now,
    )
    try:
        with db_session.begin_nested():  # the same side rating at the same moment
            db_session.add(rating)
            db_session.flush()
    except IntegrityError:
        raise errors.AlreadyRated() from None
    given[side] = rating
    if reveal.is_revealed(
        ratings_given=len(given),
        ended_at=session.ended_at,
        now=now,
        reveal_after=rules.reveal_after,
    ):
        _reveal(db_session, session, list(given.values()), at=now, rules=rules)
    return rating


def _reveal(
    db_session: Session,
    session: PaidSession,
    ratings: list[SessionRating],
    *,
    at: datetime,
    rules: Rules,
) -> None:
    """Both sides see these ratings from `at`; a customer's counts in the ranking."""
    ranked = False
    for rating in ratings:
        if rating.revealed_at is not None:
            continue
        rating.revealed_at = at
        if rating.side == CUSTOMER:
            row = ExpertRating(
                profile_id=session.expert_profile_id,
                category_id=rating.category_id,
                score=rating.stars,
                seconds=session.billed_seconds,
                cents=_charged(session),
                created_at=at,
            )
            db_session.add(row)
            db_session.flush()
            rating.expert_rating_id = row.id
            ranked = True
    db_session.flush()
    if ranked:
        index.refresh_scores(
            db_session=db_session, profile_ids=[session.expert_profile_id], rules=rules.ranking
        )


def reveal_due(*, db_session: Session, now: datetime, rules: Rules) -> int:
    """Reveals what is due and not yet marked: the ratings of sessions whose deadline has
    passed (the one side that rated is shown, a customer's counts from then), and of
    sessions both sides rated at the same moment (neither saw the other's row when it
    rated); how many ratings were revealed."""
    both_rated = (
        select(SessionRating.paid_session_id)
        .group_by(SessionRating.paid_session_id)
        .having(func.count() == 2)
    )
    rows = db_session.execute(
        select(SessionRating, PaidSession)
        .join(PaidSession, PaidSession.id == SessionRating.paid_session_id)
        .where(
            SessionRating.revealed_at.is_(None),
            or_(
                PaidSession.ended_at <= now - rules.reveal_after,
                SessionRating.paid_session_id.in_(both_rated),
            ),
        )
        .order_by(SessionRating.id)
    ).all()
    by_session: dict[int, tuple[PaidSession, list[SessionRating]]] = {}
    for rating, session in rows:
        by_session.setdefault(session.id, (session, []))[1].append(rating)
    for session, ratings in by_session.values():
        at = min(now, rate_until(session, rules))
        _reveal(db_session, session, ratings, at=at, rules=rules)
    return len(rows)


@dataclass(frozen=True)
class SideView:
    """A session's ratings as one side sees them."""

    session: PaidSession
    mine: SessionRating | None
    other: SessionRating | None  # None until revealed
    revealed: bool
    open: bool  # this side may still rate
    rate_until: datetime


def view(db_session: Session, session: PaidSession, *, side: str, now: datetime, rules: Rules):
    given = ratings_of_session(db_session, session.id)
    revealed = reveal.is_revealed(
        ratings_given=len(given),
        ended_at=session.ended_at,
        now=now,
        reveal_after=rules.reveal_after,
    )
    other_side = EXPERT if side == CUSTOMER else CUSTOMER
    mine = given.get(side)
    return SideView(
        session=session,
        mine=mine,
        other=given.get(other_side) if revealed else None,
        revealed=revealed,
        open=mine is None
        and is_paid(session)
        and reveal.is_open(ended_at=session.ended_at, now=now, reveal_after=rules.reveal_after),
        rate_until=rate_until(session, rules),
    )


def _paid_query():
    return select(PaidSession).where(
        PaidSession.status == "ended",
        PaidSession.ended_at.is_not(None),
        PaidSession.amount > PaidSession.waived,
    )


def rateable_for_customer(
    *, db_session: Session, customer_id: int, now: datetime, rules: Rules
) -> list[PaidSession]:
    """The customer's paid sessions they may still rate, most recently ended first."""
    rated = select(SessionRating.paid_session_id).where(SessionRating.side == CUSTOMER)
    return list(
        db_session.scalars(
            _paid_query()
            .where(
                PaidSession.customer_id == customer_id,
                PaidSession.ended_at > now - rules.reveal_after,
                PaidSession.id.not_in(rated),
            )
            .order_by(PaidSession.ended_at.desc(), PaidSession.id.desc())
        )
    )


def for_expert(
    *, db_session: Session, staff_id: int, now: datetime, rules: Rules, limit: int = 50
) -> list[SideView]:
    """The expert's paid sessions, most recently ended first, as the expert sees them."""
    sessions = db_session.scalars(
        _paid_query()
        .where(PaidSession.expert_staff_id == staff_id)
        .order_by(PaidSession.ended_at.desc(), PaidSession.id.desc())
        .limit(limit)
    )
    return [view(db_session, s, side=EXPERT, now=now, rules=rules) for s in sessions]


def _shown(rating: SessionRating, session: PaidSession, given: int, now, rules) -> bool:
    return rating.revealed_at is not None or reveal.is_revealed(
        ratings_given=given, ended_at=session.ended_at, now=now, reveal_after=rules.reveal_after
    )


def vote(
    *,
    db_session: Session,
    rating_id: int,
    customer_id: int,
    helpful: bool,
    now: datetime,
    rules: Rules,
) -> SessionRating:
    """The customer's vote on a shown rating of an expert; a second vote replaces the first."""
    rating = db_session.get(SessionRating, rating_id)
    session = db_session.get(PaidSession, rating.paid_session_id) if rating else None
    if rating is None or rating.side != CUSTOMER or session is None:
        raise errors.RatingNotFound()
    given = len(ratings_of_session(db_session, session.id))
    if not _shown(rating, session, given, now, rules):
        raise errors.RatingNotFound()
    if session.customer_id == customer_id:
        raise errors.OwnRating()
    found = db_session.get(SessionRatingVote, (rating.id, customer_id))
    if found is None:
        db_session.add(
            SessionRatingVote(
                rating_id=rating.id, customer_id=customer_id, helpful=helpful, voted_at=now
            )
        )
    else:
        found.helpful, found.voted_at = helpful, now
    db_session.flush()
    return rating


@dataclass(frozen=True)
class PublicRating:
    rating: SessionRating
    helpful: int
    not_helpful: int
    my_vote: bool | None
    wilson: float = field(default=0.0)


def vote_counts(db_session: Session, rating_ids: list[int]) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    if rating_ids:
        statement = (
            select(SessionRatingVote.rating_id, SessionRatingVote.helpful, func.count())
            .where(SessionRatingVote.rating_id.in_(rating_ids))
            .group_by(SessionRatingVote.rating_id, SessionRatingVote.helpful)
        )
        for rating_id, helpful, count in db_session.execute(statement):
            counts[rating_id][bool(helpful)] = count
    return counts


def public_ratings(
    *,
    db_session: Session,
    profile_id: int,
    now: datetime,
    rules: Rules,
    category_id: int | None = None,
    customer_id: int | None = None,
) -> list[PublicRating]:
    """An expert's shown ratings by customers (all, or of one topic): most helpful first by
    the Wilson lower bound of the helpful votes, then the newest."""
    statement = (
        select(SessionRating, PaidSession)
        .join(PaidSession, PaidSession.id == SessionRating.paid_session_id)
        .where(PaidSession.expert_profile_id == profile_id, SessionRating.side == CUSTOMER)
    )
    if category_id is not None:
        statement = statement.where(SessionRating.category_id == category_id)
    rows = db_session.execute(statement).all()
    given = Counter(
        db_session.scalars(
            select(SessionRating.paid_session_id).where(
                SessionRating.paid_session_id.in_([session.id for _r, session in rows])
            )
        )
    )
    shown = [
        rating for rating, session in rows if _shown(rating, session, given[session.id], now, rules)
    ]
    counts = vote_counts(db_session, [rating.id for rating in shown])
    mine: dict[int, bool] = {}
    if customer_id is not None and shown:
        mine = dict(
            db_session.execute(
                select(SessionRatingVote.rating_id, SessionRatingVote.helpful).where(
                    SessionRatingVote.customer_id == customer_id,
                    SessionRatingVote.rating_id.in_([rating.id for rating in shown]),
                )
            ).all()
        )
    found = [
        PublicRating(
            rating=rating,
            helpful=counts[rating.id][True],
            not_helpful=counts[rating.id][False],
            my_vote=mine.get(rating.id),
            wilson=wilson.lower_bound(counts[rating.id][True], counts[rating.id][False]),
        )
        for rating in shown
    ]
    found.sort(
        key=lambda item: (-item.wilson, -item.rating.created_at.timestamp(), -item.rating.id)
    )
    return found
