"""Asks the ISP's server for its provider profile and, to check a new signing key, for its
public keys. Both are open routes: no device key is needed, so an assistant that is not
signed in gets the profile too.

Errors are the premium module's (`assistant.premium.errors`): `ServerUnreachable` for no
connection, a timeout or a 5xx answer; `ServerRefused` for another refusal (a server too
old to have the route answers 404); `ServerAnswerInvalid` for an answer that does not parse.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from assistant.premium import errors
from assistant.tls import portal_tls
from isp_common.entitlements import PublishedKeys
from isp_common.premium_wire import KEYS_PATH
from isp_common.provider_profile import PROVIDER_PROFILE_PATH, SignedProviderProfile

DEFAULT_TIMEOUT = 10.0
Answer = TypeVar("Answer", bound=BaseModel)


class ProfileClient:
    def __init__(
        self,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )

    def fetch_profile(self, etag: str | None) -> tuple[SignedProviderProfile, str | None] | None:
        """The signed profile and its ETag; None when `etag` names the current one."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._get(PROVIDER_PROFILE_PATH, headers)
        if response.status_code == 304 and etag:
            return None
        return self._parse(response, SignedProviderProfile), response.headers.get("ETag")

    def fetch_keys(self) -> PublishedKeys:
        return self._parse(self._get(KEYS_PATH, {}), PublishedKeys)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ProfileClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _get(self, path: str, headers: dict[str, str]) -> httpx.Response:
        try:
            response = self._http.get(path, headers=headers)
        except httpx.TransportError as error:
            raise errors.ServerUnreachable(f"GET {path}: {error!r}") from error
        if response.status_code >= 500:
            raise errors.ServerUnreachable(f"GET {path}: answered {response.status_code}")
        if response.status_code >= 400:
            raise errors.ServerRefused(
                f"GET {path}: answered {response.status_code}", status=response.status_code
            )
        return response

    @staticmethod
    def _parse(response: httpx.Response, answer: type[Answer]) -> Answer:
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as error:
            raise errors.ServerAnswerInvalid(f"{response.url.path}: {error}") from None
