"""The assistant's client for rating paid sessions: the customer's sessions they may still
rate, and their rating of the expert (1-5 stars and a text). All requests are signed with
this computer's key (`isp_common.ratings_wire`).

    client = RatingsClient(server_url, device_key)
    client.rateable("de")              # [RateableSession], most recently ended first
    client.rate(12, stars=5, text="")  # SessionRatingState: the customer's own rating
    client.expert_ratings(3, "de")     # PublicRatingList: most helpful first, the scores
    client.vote(41, helpful=True)      # PublicRating with the new counts (changeable)

A server that cannot be reached, or that has no ratings (an older one: 404 on the list),
raises `RatingsUnavailable`; a refusal (stars out of range, text too long, already rated,
the time to rate has passed, not this customer's session) `RatingRefused` with the
server's code, which the assistant words itself.
"""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from assistant.premium.client import DeviceSignature
from assistant.tls import portal_tls
from isp_common.ratings_wire import (
    EXPERT_RATINGS_PATH,
    RATEABLE_PATH,
    RATINGS_PATH,
    VOTES_PATH,
    PublicRating,
    PublicRatingList,
    RateableSession,
    RateableSessionList,
    RatingInput,
    SessionRatingState,
    VoteInput,
)


class RatingsUnavailable(Exception):
    """The server could not be asked about ratings (offline, or it has none)."""


class RatingRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class RatingsClient:
    def __init__(self, base_url: str, device_key, transport=None, *, timeout: float = 10.0):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            auth=DeviceSignature(device_key),
            headers={"Accept": "application/json"},
        )

    def rateable(self, language: str) -> list[RateableSession]:
        response = self._send("GET", RATEABLE_PATH, params={"lang": language})
        return self._parse(response, RateableSessionList).sessions

    def rate(self, session_id: int, *, stars: int, text: str) -> SessionRatingState:
        body = RatingInput(stars=stars, text=text).model_dump_json().encode()
        response = self._send(
            "POST",
            f"{RATINGS_PATH}/{int(session_id)}",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        return self._parse(response, SessionRatingState)

    def expert_ratings(self, expert_id: int, language: str) -> PublicRatingList:
        path = EXPERT_RATINGS_PATH.format(expert_id=int(expert_id))
        response = self._send("GET", path, params={"lang": language})
        return self._parse(response, PublicRatingList)

    def vote(self, rating_id: int, *, helpful: bool) -> PublicRating:
        response = self._send(
            "PUT",
            f"{VOTES_PATH}/{int(rating_id)}",
            content=VoteInput(helpful=helpful).model_dump_json().encode(),
            headers={"Content-Type": "application/json"},
        )
        return self._parse(response, PublicRating)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, path: str, **options) -> httpx.Response:
        try:
            response = self._http.request(method, path, **options)
        except httpx.HTTPError as err:
            raise RatingsUnavailable(str(err)) from err
        if method in ("POST", "PUT") and response.status_code in (404, 409, 422):
            try:
                code = response.json().get("code", "refused")
            except ValueError:
                code = "refused"
            raise RatingRefused(code)
        if response.status_code not in (200, 201):
            raise RatingsUnavailable(f"HTTP {response.status_code}")
        return response

    @staticmethod
    def _parse(response: httpx.Response, model):
        try:
            return model.model_validate_json(response.content)
        except ValidationError as err:
            raise RatingsUnavailable("unreadable answer") from err
