"""What the ratings refuse, each with a stable code (`isp_common.ratings_wire.RatingRefusal`)
and a text in German and English; nothing is stored when one is raised.

ApiError (agent_portal.api_errors, a PortalError)
└── RatingError
    ├── StarsOutOfRange      not within 1-5
    ├── TextTooLong          over ratings_wire.TEXT_MAX characters
    ├── SessionNotFound      no such session of this customer or expert (404)
    ├── NotRateable          not ended, or nothing was charged
    ├── RatingClosed         the time to rate has passed
    ├── AlreadyRated         this side has rated this session (409)
    ├── RatingNotFound       a vote on a rating that is not shown (404)
    └── OwnRating            a customer votes on their own rating
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError
from agent_portal.errors import N_
from isp_common import formatting
from isp_common.ratings_wire import RatingRefusal


class RatingError(ApiError):
    status_code = 422
    code = "rating_invalid"
    template = N_("The rating cannot be stored.")

    def __init__(self, **values) -> None:
        super().__init__(**values)


class StarsOutOfRange(RatingError):
    code = RatingRefusal.stars.value
    template = N_("Choose between %(low)s and %(high)s stars.")


class TextTooLong(RatingError):
    code = RatingRefusal.text_too_long.value
    template = N_("The text may be at most %(limit)s characters long.")

    def words(self, gettext, language):
        return {"limit": formatting.number(self.values["limit"], locale=language)}


class SessionNotFound(RatingError):
    status_code = 404
    code = RatingRefusal.not_found.value
    template = N_("There is no such paid session of yours.")


class NotRateable(RatingError):
    code = RatingRefusal.not_rateable.value
    template = N_("Only an ended session that was paid for can be rated.")


class RatingClosed(RatingError):
    code = RatingRefusal.closed.value
    template = N_("The time to rate this session has passed.")


class AlreadyRated(RatingError):
    status_code = 409
    code = RatingRefusal.already_rated.value
    template = N_("You have already rated this session.")


class RatingNotFound(RatingError):
    status_code = 404
    code = RatingRefusal.rating_not_found.value
    template = N_("There is no such rating.")


class OwnRating(RatingError):
    code = RatingRefusal.own_rating.value
    template = N_("You cannot vote on your own rating.")
