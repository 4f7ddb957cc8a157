"""The ratings' JSON API for the assistant (every route: a request signed by a linked
device; the customer is the device's). Wire formats in `isp_common.ratings_wire`:

- `GET /api/v1/session-ratings/rateable`: the customer's paid sessions they may still
  rate (the assistant's rating card asks when the Experts tab opens);
- `GET|POST /api/v1/session-ratings/{session_id}`: the session's ratings as the customer
  sees them; rate the expert (once; refusals say why and store nothing);
- `GET /api/v1/experts/{expert_id}/ratings?category=`: the expert's revealed ratings,
  most helpful first;
- `PUT /api/v1/session-ratings/votes/{rating_id}`: helpful or not (changeable).

The expert's side is a portal page (`pages.py`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select

from agent_portal.api_errors import refusals
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices.deps import CurrentDevice, require_device
from agent_portal.expert_search import ratings as expert_ratings_summary
from agent_portal.expert_search.models import ExpertSearchEntry
from agent_portal.experts.models import ExpertCategory, ExpertProfile
from agent_portal.params import Id
from agent_portal.session_ratings import service
from agent_portal.session_ratings.models import SessionRating
from isp_common.ratings_wire import (
    EXPERT_RATINGS_PATH,
    RATEABLE_PATH,
    RATINGS_PATH,
    VOTES_PATH,
    GivenRating,
    PublicRating,
    PublicRatingList,
    RateableSession,
    RateableSessionList,
    RatingInput,
    SessionRatingState,
    TopicScore,
    VoteInput,
)

router = APIRouter(tags=["ratings"], dependencies=[require_device()])
RATE_REFUSALS = refusals(
    {
        401: "Not signed by a linked device",
        404: "No such paid session of this customer",
        409: "Already rated",
        422: "Stars not within 1-5, text too long, not paid, or the time to rate has passed",
    }
)
VOTE_REFUSALS = refusals(
    {401: "Not signed by a linked device", 404: "No such rating shown", 422: "Own rating"}
)


def _language(request: Request) -> str:
    return getattr(request.state, "language", "de")


def _category_names(db_session, ids, language: str) -> dict[int, str]:
    wanted = {category_id for category_id in ids if category_id is not None}
    if not wanted:
        return {}
    found = db_session.scalars(select(ExpertCategory).where(ExpertCategory.id.in_(wanted)))
    return {category.id: category.name(language) for category in found}


def _given(rating: SessionRating | None) -> GivenRating | None:
    if rating is None:
        return None
    return GivenRating(stars=rating.stars, text=rating.text, rated_at=rating.created_at)


def _state(found: service.SideView) -> SessionRatingState:
    return SessionRatingState(
        session_id=found.session.id,
        mine=_given(found.mine),
        other=_given(found.other),
        revealed=found.revealed,
        rate_until=found.rate_until,
    )


@router.get(RATEABLE_PATH, response_model=RateableSessionList)
def rateable(
    request: Request, db_session: SessionDep, settings: SettingsDep, device: CurrentDevice
) -> RateableSessionList:
    """Paid sessions the customer may still rate, most recently ended first."""
    rules = service.Rules.from_settings(settings)
    sessions = service.rateable_for_customer(
        db_session=db_session, customer_id=device.customer_id, now=utcnow(), rules=rules
    )
    names = _category_names(db_session, [s.category_id for s in sessions], _language(request))
    experts = {
        profile.id: profile.display_name
        for profile in db_session.scalars(
            select(ExpertProfile).where(
                ExpertProfile.id.in_({s.expert_profile_id for s in sessions})
            )
        )
    }
    return RateableSessionList(
        sessions=[
            RateableSession(
                session_id=s.id,
                expert_id=s.expert_profile_id,
                expert_name=experts.get(s.expert_profile_id, ""),
                category_id=s.category_id,
                category_name=names.get(s.category_id, ""),
                ended_at=s.ended_at,
                rate_until=service.rate_until(s, rules),
                charged=s.charged,
                currency=s.currency,
            )
            for s in sessions
        ]
    )


@router.get(
    RATINGS_PATH + "/{session_id}", response_model=SessionRatingState, responses=RATE_REFUSALS
)
def session_state(
    db_session: SessionDep, settings: SettingsDep, device: CurrentDevice, session_id: Id
) -> SessionRatingState:
    """The customer's own rating and, once revealed, the expert's."""
    session = service.session_of(
        db_session, session_id=session_id, side=service.CUSTOMER, person_id=device.customer_id
    )
    rules = service.Rules.from_settings(settings)
    return _state(
        service.view(db_session, session, side=service.CUSTOMER, now=utcnow(), rules=rules)
    )


@router.post(
    RATINGS_PATH + "/{session_id}",
    response_model=SessionRatingState,
    status_code=201,
    responses=RATE_REFUSALS,
)
def rate_expert(
    db_session: SessionDep,
    settings: SettingsDep,
    device: CurrentDevice,
    session_id: Id,
    body: RatingInput,
) -> SessionRatingState:
    """The customer rates the expert: 1-5 stars and a text, once."""
    rules = service.Rules.from_settings(settings)
    now = utcnow()
    rating = service.rate(
        db_session,
        session_id=session_id,
        side=service.CUSTOMER,
        person_id=device.customer_id,
        stars=body.stars,
        text=body.text,
        now=now,
        rules=rules,
    )
    session = service.session_of(
        db_session,
        session_id=rating.paid_session_id,
        side=service.CUSTOMER,
        person_id=device.customer_id,
    )
    state = _state(service.view(db_session, session, side=service.CUSTOMER, now=now, rules=rules))
    db_session.commit()
    return state


def _public(item: service.PublicRating, names: dict[int, str]) -> PublicRating:
    rating = item.rating
    return PublicRating(
        id=rating.id,
        stars=rating.stars,
        text=rating.text,
        category_id=rating.category_id,
        category_name=names.get(rating.category_id, ""),
        rated_at=rating.created_at,
        helpful=item.helpful,
        not_helpful=item.not_helpful,
        my_vote=item.my_vote,
    )


@router.get(EXPERT_RATINGS_PATH, response_model=PublicRatingList)
def expert_ratings(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    device: CurrentDevice,
    expert_id: Id,
    category: Id | None = None,
) -> PublicRatingList:
    """The expert's revealed ratings by customers (of one topic with `category`), most
    helpful first: by the Wilson lower bound (95 %) of the helpful votes, then newest;
    with the expert's score overall and per topic. Empty for an expert customers cannot
    find."""
    if db_session.get(ExpertSearchEntry, expert_id) is None:
        return PublicRatingList()
    rules = service.Rules.from_settings(settings)
    found = service.public_ratings(
        db_session=db_session,
        profile_id=expert_id,
        category_id=category,
        customer_id=device.customer_id,
        now=utcnow(),
        rules=rules,
    )
    summary = expert_ratings_summary.summary(
        db_session=db_session, profile_id=expert_id, rules=rules.ranking
    )
    names = _category_names(
        db_session,
        [i.rating.category_id for i in found] + [t.category_id for t in summary.by_category],
        _language(request),
    )
    return PublicRatingList(
        ratings=[_public(item, names) for item in found],
        score=summary.overall.score,
        rated_sessions=summary.sessions,
        topics=[
            TopicScore(
                category_id=topic.category_id,
                category_name=names.get(topic.category_id, ""),
                score=topic.ranked.score,
                rated_sessions=topic.ranked.count,
            )
            for topic in summary.by_category
        ],
    )


@router.put(VOTES_PATH + "/{rating_id}", response_model=PublicRating, responses=VOTE_REFUSALS)
def vote(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    device: CurrentDevice,
    rating_id: Id,
    body: VoteInput,
) -> PublicRating:
    """The customer finds a shown rating helpful or not; a new vote replaces the old."""
    rules = service.Rules.from_settings(settings)
    now = utcnow()
    rating = service.vote(
        db_session=db_session,
        rating_id=rating_id,
        customer_id=device.customer_id,
        helpful=body.helpful,
        now=now,
        rules=rules,
    )
    counts = service.vote_counts(db_session, [rating.id])[rating.id]
    item = service.PublicRating(rating, counts[True], counts[False], body.helpful)
    names = _category_names(db_session, [rating.category_id], _language(request))
    db_session.commit()
    return _public(item, names)
