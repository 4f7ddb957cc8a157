"""The assistant's client for the server's experts: the category tree, finding experts (by
category, or by words once the server searches), one expert's public profile and photo,
and whether each is online now. All requests are signed with this computer's key: only a
linked computer (a signed-in customer) may ask.

    client = ExpertsClient(server_url, device_key)
    client.categories("de")                 # [ExpertCategory(id, name, children)]
    client.find(category_id=3, language="de")   # [ExpertSummary], online ones first
    client.find(query="nas router", language="de")
    client.profile(12, "de")                # ExpertProfile: texts, languages, prices
    client.photo(12)                        # (bytes, content type), or None
    client.presence([12, 13])               # {12: ExpertStatus.online, 13: ...}

The answers are read leniently (fields the server adds are ignored), so a newer server
does not break an older assistant. A server that cannot be reached, or that offers no
experts (an older one: 404 on the route), raises `ExpertsUnavailable`; an expert who is
not (or no longer) findable `ExpertNotFound`. Pass `transport` to talk to something other
than the network.
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.premium.client import DeviceSignature
from assistant.tls import portal_tls
from isp_common.expert_desk_wire import PRESENCE_PATH, ExpertPresenceList, ExpertStatus

EXPERTS_PATH = "/api/v1/experts"
CATEGORIES_PATH = "/api/v1/experts/categories"
DEFAULT_TIMEOUT = 10.0


class ExpertsUnavailable(Exception):
    """The server could not be asked about experts (offline, or it has none)."""


class ExpertNotFound(Exception):
    """No findable expert with this id (unknown, not approved, suspended)."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ExpertCategory(_Lenient):
    id: int
    name: str = ""
    name_de: str = ""
    name_en: str = ""
    children: list[ExpertCategory] = Field(default_factory=list)

    def named(self, language: str) -> str:
        own = self.name_de if language == "de" else self.name_en
        return own or self.name


class CategoryName(_Lenient):
    id: int
    name: str = ""


class ExpertSummary(_Lenient):
    """An expert in a list (the search's summary), or the start of a profile."""

    id: int
    display_name: str
    slogan: str = ""
    categories: list[CategoryName] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    price_per_minute: int | None = None
    price_per_session: int | None = None
    currency: str = "CHF"
    status: ExpertStatus = ExpertStatus.offline
    score: float | None = None
    rated_sessions: int = 0

    @model_validator(mode="before")
    @classmethod
    def _prices_apart(cls, data):
        """A profile says its prices as `prices: {currency, per_minute, per_session}`."""
        if isinstance(data, dict) and isinstance(data.get("prices"), dict):
            prices = data["prices"]
            data = {
                **data,
                "currency": prices.get("currency", data.get("currency", "CHF")),
                "price_per_minute": prices.get("per_minute"),
                "price_per_session": prices.get("per_session"),
            }
        return data


class ExpertProfile(ExpertSummary):
    qualifications: str = ""
    experience: str = ""
    keywords: list[str] = Field(default_factory=list)
    text_language: str = "de"  # the language the texts are written in
    photo_url: str | None = None  # the server's address of the photo; None: no photo


class _CategoryList(_Lenient):
    categories: list[ExpertCategory]


class _SearchResults(_Lenient):
    experts: list[ExpertSummary]
    next_cursor: str | None = None


class ExpertsClient:
    def __init__(
        self,
        base_url: str,
        device_key,
        transport: httpx.BaseTransport | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            auth=DeviceSignature(device_key),
            headers={"Accept": "application/json"},
        )

    def categories(self, language: str) -> list[ExpertCategory]:
        data = self._get_json(CATEGORIES_PATH, {"lang": language}, language=language)
        if isinstance(data, list):
            data = {"categories": data}
        return self._parse(data, _CategoryList).categories

    def find(
        self, *, language: str, query: str = "", category_id: int | None = None, limit: int = 20
    ) -> list[ExpertSummary]:
        """Experts matching the words or listed in the category (and its sub-categories),
        online ones first."""
        params: dict[str, str | int] = {"lang": language, "limit": limit}
        if query.strip():
            params["q"] = query.strip()
        if category_id is not None:
            params["category"] = category_id
        found = self._get_json(EXPERTS_PATH, params, language=language)
        experts = self._parse(found, _SearchResults).experts
        # The desk's word on each (away or busy counts too), online ones first.
        now = self.presence([expert.id for expert in experts])
        for expert in experts:
            expert.status = now.get(expert.id, expert.status)
        online = [expert for expert in experts if expert.status is ExpertStatus.online]
        return online + [expert for expert in experts if expert.status is not ExpertStatus.online]

    def profile(self, expert_id: int, language: str) -> ExpertProfile:
        """The profile, with the expert's status now (the profile itself has none)."""
        path = f"{EXPERTS_PATH}/{int(expert_id)}"
        data = self._get_json(path, {"lang": language}, found=True, language=language)
        expert = self._parse(data, ExpertProfile)
        if "status" not in data:
            expert.status = self.presence([expert.id])[expert.id]
        return expert

    def photo(self, expert_id: int) -> tuple[bytes, str] | None:
        response = self._request(f"{EXPERTS_PATH}/{int(expert_id)}/photo", {})
        if response.status_code == 404:
            return None
        self._check(response)
        return response.content, response.headers.get("content-type", "image/jpeg")

    def presence(self, expert_ids: list[int]) -> dict[int, ExpertStatus]:
        if not expert_ids:
            return {}
        params = [("expert_id", int(expert_id)) for expert_id in dict.fromkeys(expert_ids)]
        found = self._parse(self._get_json(PRESENCE_PATH, params), ExpertPresenceList)
        return {expert_id: found.status_of(expert_id) for expert_id in expert_ids}

    def close(self) -> None:
        self._http.close()

    # --- the edge ------------------------------------------------------------------------

    def _request(self, path: str, params, language: str | None = None) -> httpx.Response:
        headers = {"Accept-Language": language} if language else {}
        try:
            return self._http.get(path, params=params, headers=headers)
        except httpx.HTTPError as err:
            raise ExpertsUnavailable(str(err)) from err

    def _check(self, response: httpx.Response, *, found: bool = False) -> None:
        if found and response.status_code == 404:
            raise ExpertNotFound()
        if response.status_code >= 400:
            raise ExpertsUnavailable(f"the server answered {response.status_code}")

    def _get_json(self, path: str, params, *, found: bool = False, language: str | None = None):
        response = self._request(path, params, language)
        self._check(response, found=found)
        try:
            return response.json()
        except ValueError as err:
            raise ExpertsUnavailable("the server's answer is not JSON") from err

    @staticmethod
    def _parse(data, model):
        try:
            return model.model_validate(data)
        except ValidationError as err:
            raise ExpertsUnavailable(f"the server's answer could not be read: {err}") from err
