"""The local API of the rating card on the Experts tab (signed-in customers only; the
server is asked with this computer's key through `assistant.escalation.ratings`):

    GET  /api/ratings                 {"sessions": [view, ...]}: paid sessions still to rate
    POST /api/ratings/{session_id}    {stars, text}: the customer's rating of the expert
    GET  /api/ratings/experts/{id}    {"ratings": [review, ...]}: an expert's revealed
                                      ratings, most helpful first (the profile shows them)
    PUT  /api/ratings/votes/{id}      {helpful}: the customer's vote; the changed review

Each view is written for the page in the assistant's language (`isp_common.formatting`):
the expert, the topic, when the session ended, what it cost, until when it can be rated.
A refusal answers `{"error": the customer's sentence, "code": ...}` as the Experts tab's
do; the sentence is the assistant's own, chosen by the server's code.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from assistant.escalation.ratings import RatingRefused, RatingsClient, RatingsUnavailable
from assistant.i18n import _
from assistant.local_api.experts_api import Refusal
from isp_common import formatting
from isp_common.ratings_wire import (
    STARS_MAX,
    STARS_MIN,
    TEXT_MAX,
    PublicRating,
    RateableSession,
    RatingRefusal,
)

router = APIRouter(prefix="/api/ratings")


def refusal_texts(language: str = "en") -> dict[str, str]:
    limit = formatting.number(TEXT_MAX, locale=language)
    return {
        RatingRefusal.stars: _("Choose between 1 and 5 stars."),
        RatingRefusal.text_too_long: _("Your text may be at most {limit} characters long.").format(
            limit=limit
        ),
        RatingRefusal.not_found: _("This session cannot be found."),
        RatingRefusal.not_rateable: _("Only an ended session that was paid for can be rated."),
        RatingRefusal.closed: _("The time to rate this session has passed."),
        RatingRefusal.already_rated: _("You have already rated this session."),
        RatingRefusal.rating_not_found: _("This rating is no longer shown."),
        RatingRefusal.own_rating: _("You cannot vote on your own rating."),
    }


def _client(request: Request) -> RatingsClient:
    premium = request.app.state.context.premium
    if not premium.service.status().linked or not premium.server_url:
        raise Refusal(409, "not_linked", _("Sign in to rate your sessions."))
    return RatingsClient(premium.server_url, premium.service.device_key)


async def _ask(request: Request, call, *args, **kwargs):
    client = _client(request)
    try:
        return await asyncio.to_thread(call, client, *args, **kwargs)
    except RatingRefused as err:
        texts = refusal_texts(request.app.state.context.language)
        text = texts.get(err.code, _("The rating could not be stored."))
        raise Refusal(422, err.code, text) from err
    except RatingsUnavailable as err:
        raise Refusal(
            503, "unavailable", _("Ratings cannot be sent right now. Try again later.")
        ) from err
    finally:
        client.close()


def view(session: RateableSession, language: str) -> dict:
    topic = session.category_name
    return {
        "id": session.session_id,
        "expert": session.expert_name,
        "title": (
            _("How was your session with {name} about {topic}?")
            if topic
            else _("How was your session with {name}?")
        ).format(name=session.expert_name, topic=topic),
        "facts": _("Ended {when}, cost {amount}").format(
            when=formatting.moment(session.ended_at, locale=language, zone=None),
            amount=formatting.money(session.charged, session.currency, locale=language),
        ),
        "until": _(
            "You can rate until {when}. The expert sees your rating once you have both rated."
        ).format(when=formatting.moment(session.rate_until, locale=language, zone=None)),
        "ended_at": session.ended_at.isoformat(),
        "text_max": TEXT_MAX,
        "text_max_text": formatting.number(TEXT_MAX, locale=language),
    }


@router.get("")
async def rateable(request: Request) -> dict:
    language = request.app.state.context.language
    found = await _ask(request, RatingsClient.rateable, language)
    return {"sessions": [view(session, language) for session in found]}


class NewRating(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stars: int = 0
    text: str = ""


@router.post("/{session_id}")
async def rate(session_id: int, body: NewRating, request: Request) -> dict:
    texts = refusal_texts(request.app.state.context.language)
    if not STARS_MIN <= body.stars <= STARS_MAX:
        raise Refusal(422, RatingRefusal.stars.value, texts[RatingRefusal.stars])
    if len(body.text.strip()) > TEXT_MAX:
        raise Refusal(422, RatingRefusal.text_too_long.value, texts[RatingRefusal.text_too_long])
    await _ask(request, RatingsClient.rate, session_id, stars=body.stars, text=body.text)
    return {"id": session_id, "message": _("Thank you for your rating.")}


def review(rating: PublicRating, language: str) -> dict:
    """An expert's revealed rating on the profile, with its helpful votes."""
    votes = rating.helpful + rating.not_helpful
    return {
        "id": rating.id,
        "stars": rating.stars,
        "stars_text": _("{count} of 5 stars").format(
            count=formatting.number(rating.stars, locale=language)
        ),
        "text": rating.text,
        "topic": rating.category_name,
        "when": formatting.day(rating.rated_at, locale=language, zone=None),
        "votes_text": (
            _("{helpful} of {votes} found this helpful").format(
                helpful=formatting.number(rating.helpful, locale=language),
                votes=formatting.number(votes, locale=language),
            )
            if votes
            else ""
        ),
        "my_vote": rating.my_vote,
    }


def score_text(score: float, sessions: int, language: str) -> str:
    return _("{score} of 5 from {count} paid sessions").format(
        score=formatting.decimal(score, locale=language),
        count=formatting.number(sessions, locale=language),
    )


@router.get("/experts/{expert_id}")
async def expert_reviews(expert_id: int, request: Request) -> dict:
    language = request.app.state.context.language
    found = await _ask(request, RatingsClient.expert_ratings, expert_id, language)
    rated = found.score is not None and found.rated_sessions > 0
    return {
        "ratings": [review(rating, language) for rating in found.ratings],
        "summary": score_text(found.score, found.rated_sessions, language) if rated else None,
        "topics": [
            _("{topic}: {score}").format(
                topic=topic.category_name or _("Other topics"),
                score=score_text(topic.score, topic.rated_sessions, language),
            )
            for topic in found.topics
        ],
    }


class NewVote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    helpful: bool


@router.put("/votes/{rating_id}")
async def vote(rating_id: int, body: NewVote, request: Request) -> dict:
    changed = await _ask(request, RatingsClient.vote, rating_id, helpful=body.helpful)
    return review(changed, request.app.state.context.language)
