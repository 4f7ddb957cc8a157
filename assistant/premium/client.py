"""The assistant's HTTP client for the premium API of the ISP's server.

Requests that need a linked device are signed with this computer's key (`DeviceSignature`,
the scheme of `isp_common.premium_wire`); the link request is signed too, proving the
assistant holds the key it asks to link. Answers are parsed into the shared wire models.

Errors are translated at this edge (see `assistant.premium.errors`):

- no connection, a timeout or a 5xx answer: `ServerUnreachable` (offline rules apply);
- a refusal: the error class of its `code` (`SignInFailed`, `DeviceLimitReached`,
  `CodeExpired`, `TooManyAttempts`, ...), with the server's sentence in `server_message`;
- an answer that does not parse: `ServerAnswerInvalid`.

Pass `transport` (e.g. `httpx.MockTransport`, or an ASGI transport) to talk to something
other than the network.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from assistant.premium import errors
from assistant.premium.device_keys import DeviceKey
from assistant.tls import portal_tls
from isp_common.clock import Clock, utc_now
from isp_common.entitlements import PublishedKeys
from isp_common.offline_codes import OfflineCodeUse
from isp_common.premium_wire import (
    KEYS_PATH,
    LINK_PATH,
    OFFLINE_USES_PATH,
    REDEEM_PATH,
    REFRESH_PATH,
    RELEASE_PATH,
    UNLINK_PATH,
    ApiErrorBody,
    EntitlementGrant,
    ErrorCode,
    LinkRequest,
    LinkResponse,
    OfflineCodeUseAck,
    OfflineCodeUseReport,
    Platform,
    RedeemRequest,
    RefreshResponse,
    ReleaseRequest,
    device_request_headers,
)

Answer = TypeVar("Answer", bound=BaseModel)

DEFAULT_TIMEOUT = 10.0


class DeviceSignature(httpx.Auth):
    """Signs each request with the device's key: method, path, time and body."""

    requires_request_body = True

    def __init__(self, device_key: DeviceKey, clock: Clock = utc_now) -> None:
        self._device_key = device_key
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(
            device_request_headers(
                sign=self._device_key.sign,
                device_id=self._device_key.device_id,
                method=request.method,
                target=request.url.raw_path,
                body=request.content,
                timestamp=int(self._clock().timestamp()),
            )
        )
        yield request


def _refusal(body: ApiErrorBody, status: int) -> errors.PremiumError:
    """The assistant's error for a refusal the server explained with a `code`."""
    simple: dict[str, Callable[[], errors.PremiumError]] = {
        ErrorCode.SIGN_IN_FAILED: lambda: errors.SignInFailed(body.detail, status=status),
        ErrorCode.DEVICE_LINKED_ELSEWHERE: lambda: errors.DeviceLinkedElsewhere(
            body.detail, status=status
        ),
        ErrorCode.DEVICE_NOT_LINKED: lambda: errors.DeviceNotLinked(body.detail, status=status),
        ErrorCode.DEVICE_CLOCK_WRONG: lambda: errors.DeviceClockWrong(body.detail, status=status),
        ErrorCode.CODE_FORMAT_INVALID: lambda: errors.CodeFormatInvalid(body.detail),
        ErrorCode.CODE_EXPIRED: lambda: errors.CodeExpired(body.detail),
        ErrorCode.CODE_REVOKED: lambda: errors.CodeRevoked(body.detail),
        ErrorCode.CODE_ALREADY_USED: lambda: errors.CodeAlreadyUsed(body.detail),
        ErrorCode.CODE_INVALID: lambda: errors.CodeInvalid(body.attempts_left or 0, body.detail),
        ErrorCode.RELEASE_TICKET_INVALID: lambda: errors.ReleaseTicketInvalid(
            body.detail, status=status
        ),
        ErrorCode.RELEASE_DEVICE_UNKNOWN: lambda: errors.ReleaseDeviceUnknown(
            body.detail, status=status
        ),
    }
    if body.code in simple:
        return simple[body.code]()
    if body.code == ErrorCode.DEVICE_LIMIT_REACHED:
        return errors.DeviceLimitReached(
            body.device_limit or 0,
            body.linked_devices,
            body.detail,
            status=status,
            release=body.release,
        )
    if body.code == ErrorCode.SIGN_IN_LOCKED and body.locked_until is not None:
        return errors.SignInLocked(body.locked_until, body.detail, status=status)
    if body.code == ErrorCode.TOO_MANY_ATTEMPTS and body.locked_until is not None:
        return errors.TooManyAttempts(body.locked_until, body.detail)
    return errors.ServerRefused(f"{body.code}: {body.detail}", status=status)


class PremiumClient:
    def __init__(
        self,
        base_url: str,
        device_key: DeviceKey,
        transport: httpx.BaseTransport | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Clock = utc_now,
    ) -> None:
        self.device_key = device_key
        self._signature = DeviceSignature(device_key, clock)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )

    def link(
        self,
        account_number: str,
        *,
        password: str | None = None,
        activation_code: str | None = None,
        device_name: str,
        platform: Platform,
    ) -> LinkResponse:
        """Signs the customer in and links this computer. A request the server could not
        accept (e.g. no password and no code) raises pydantic's ValidationError first."""
        request = LinkRequest(
            account_number=account_number,
            password=password,
            activation_code=activation_code,
            device_name=device_name,
            platform=platform,
            public_key=self.device_key.public_key_base64(),
        )
        return self._linked(self._call("POST", LINK_PATH, request, LinkResponse))

    def _linked(self, answer: LinkResponse) -> LinkResponse:
        if answer.device_id != self.device_key.device_id:
            raise errors.ServerAnswerInvalid("the server linked another device id")
        return answer

    def release(
        self, ticket: str, release_device_id: str, *, device_name: str, platform: Platform
    ) -> LinkResponse:
        """With the ticket of a sign-in refused for a full device list: releases that
        computer of the customer's and links this one in its place."""
        request = ReleaseRequest(
            ticket=ticket,
            release_device_id=release_device_id,
            device_name=device_name,
            platform=platform,
            public_key=self.device_key.public_key_base64(),
        )
        return self._linked(self._call("POST", RELEASE_PATH, request, LinkResponse))

    def refresh(self) -> RefreshResponse:
        return self._call("POST", REFRESH_PATH, None, RefreshResponse)

    def redeem(self, code: str) -> EntitlementGrant:
        return self._call("POST", REDEEM_PATH, RedeemRequest(code=code[:32]), EntitlementGrant)

    def fetch_keys(self) -> PublishedKeys:
        return self._call("GET", KEYS_PATH, None, PublishedKeys, signed=False)

    def report_offline_uses(self, uses: Iterable[OfflineCodeUse]) -> tuple[OfflineCodeUse, ...]:
        """Tells the server about offline codes used here; the uses it has stored."""
        report = OfflineCodeUseReport(uses=tuple(uses))
        return self._call("POST", OFFLINE_USES_PATH, report, OfflineCodeUseAck).acknowledged

    def unlink(self) -> None:
        """Unlinks this computer, freeing its place in the subscription."""
        self._call("POST", UNLINK_PATH, None, None)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PremiumClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        answer: type[Answer] | None,
        *,
        signed: bool = True,
    ) -> Answer:
        content = body.model_dump_json().encode() if body is not None else b""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            response = self._http.request(
                method,
                path,
                content=content,
                headers=headers,
                auth=self._signature if signed else None,
            )
        except httpx.TransportError as error:
            raise errors.ServerUnreachable(f"{method} {path}: {error!r}") from error
        if response.status_code >= 500:
            raise errors.ServerUnreachable(f"{method} {path}: answered {response.status_code}")
        if response.status_code >= 400:
            raise self._refused(response)
        if answer is None:
            return None  # type: ignore[return-value]
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as error:
            raise errors.ServerAnswerInvalid(f"{method} {path}: {error}") from None

    @staticmethod
    def _refused(response: httpx.Response) -> errors.PremiumError:
        try:
            body = ApiErrorBody.model_validate_json(response.content)
        except ValidationError:
            # E.g. a 422 about a field (no code), or a proxy's HTML page.
            try:
                detail = str(response.json().get("detail", ""))
            except (ValueError, AttributeError):
                detail = response.text[:200]
            error = errors.ServerRefused(detail, status=response.status_code)
            error.server_message = detail
            return error
        error = _refusal(body, response.status_code)
        error.server_message = body.detail
        return error
