"""What the devices domain refuses, as JSON API errors (`agent_portal.api_errors`).

ApiError
├── SignInFailed            401  account number, password or activation code wrong
├── SignInLocked            429  too many failed sign-ins; `locked_until`
├── CredentialRejected      422  a password the ISP's back end sent is not acceptable
├── DeviceLimitReached      409  the subscription's devices are all linked
├── DeviceLinkedElsewhere   409  the computer is linked to another customer
├── ReleaseTicketInvalid    401  a release ticket unknown, used, expired or another key's
├── ReleaseDeviceUnknown    404  the computer to release is not the ticket's customer's
├── DeviceAuthMissing       401  a device request without its X-Device-* headers
├── DeviceClockWrong        401  its timestamp is more than the allowed age off
├── DeviceNotLinked         401  unknown device, or unlinked meanwhile
├── DeviceSignatureInvalid  401  not signed with the device's key
└── OfflineUseOtherDevice   422  a reported offline-code use of another device
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent_portal.api_errors import ApiError
from isp_common.premium_wire import ErrorCode, LinkedDevice, ReleaseOffer


def _quoted_names(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _at(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")


class SignInFailed(ApiError):
    status_code = 401
    code = ErrorCode.SIGN_IN_FAILED

    def __init__(self, attempts_left: int) -> None:
        super().__init__(
            "The account number, password or activation code is not correct.",
            attempts_left=attempts_left,
        )


class SignInLocked(ApiError):
    status_code = 429
    code = ErrorCode.SIGN_IN_LOCKED

    def __init__(self, locked_until: datetime, now: datetime) -> None:
        seconds = max(int((locked_until - now).total_seconds()), 1)
        super().__init__(
            "Too many failed sign-ins for this account number or from this address. "
            f"Sign-in is locked until {_at(locked_until)}; try again after that.",
            headers={"Retry-After": str(seconds)},
            locked_until=locked_until,
        )


class CredentialRejected(ApiError):
    status_code = 422
    code = ErrorCode.REQUEST_INVALID


class DeviceLimitReached(ApiError):
    """The customer's devices are all linked. The body's `release` lists them (the
    customer's own only) and, once `with_ticket` added one, holds the release ticket."""

    status_code = 409
    code = ErrorCode.DEVICE_LIMIT_REACHED

    def __init__(
        self,
        limit: int,
        tier: str,
        devices: Sequence[LinkedDevice],
        *,
        ticket: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        self.limit, self.tier, self.devices = limit, tier, tuple(devices)
        names = [device.name for device in self.devices]
        offer = ReleaseOffer(tier=tier, devices=self.devices, ticket=ticket, expires_at=expires_at)
        super().__init__(
            _limit_detail(limit, tier, names, released=ticket is not None),
            device_limit=limit,
            linked_devices=names,
            release=offer.model_dump(mode="json"),
        )

    @property
    def releasable(self) -> bool:
        """Whether releasing one of the linked devices makes room for another."""
        return 1 <= len(self.devices) == self.limit

    def with_ticket(self, ticket: str, expires_at: datetime) -> DeviceLimitReached:
        return DeviceLimitReached(
            self.limit, self.tier, self.devices, ticket=ticket, expires_at=expires_at
        )


def _limit_detail(limit: int, tier: str, names: list[str], *, released: bool) -> str:
    # A customer without a subscription has no "subscription" that allows anything.
    devices = "device" if limit == 1 else "devices"
    if tier == "none":
        if limit == 0:
            return "No device can be linked to this account. Please ask the hotline."
        allowed = f"Without a subscription, {limit} {devices} can be linked"
    else:
        if limit == 0:
            return "Your subscription allows no device to be linked. Please ask the hotline."
        allowed = f"Your subscription allows {limit} {devices}"
    verb = "is" if len(names) == 1 else "are"
    where = "on that computer" if len(names) == 1 else "on one of those computers"
    remedy = f"Unlink a device in the assistant {where}, or ask the hotline."
    if released:
        remedy = (
            "Release one of them with this answer's release ticket, unlink one in the "
            f"assistant {where}, or ask the hotline."
        )
    return f"{allowed} and {_quoted_names(names)} {verb} already linked. {remedy}"


class DeviceLinkedElsewhere(ApiError):
    status_code = 409
    code = ErrorCode.DEVICE_LINKED_ELSEWHERE

    def __init__(self) -> None:
        super().__init__(
            "This computer is linked to another customer account. Unlink it there first, "
            "or ask the hotline."
        )


class ReleaseTicketInvalid(ApiError):
    status_code = 401
    code = ErrorCode.RELEASE_TICKET_INVALID

    REASONS = {
        "unknown": "is not known",
        "used": "has been used already",
        "expired": "has expired",
        "other_device": "was given to another computer",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The release ticket {self.REASONS[reason]}. Nothing was changed; sign in again "
            "to get a new one."
        )


class ReleaseDeviceUnknown(ApiError):
    status_code = 404
    code = ErrorCode.RELEASE_DEVICE_UNKNOWN

    def __init__(self, device_id: str) -> None:
        super().__init__(
            f"No computer with the id {device_id!r} is linked to this customer account (it "
            "may have been unlinked meanwhile). Nothing was changed."
        )


class DeviceAuthMissing(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_AUTH_MISSING

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            f"The request is not signed by a device: the header {', '.join(missing)} is "
            "missing or empty."
        )


class DeviceClockWrong(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_CLOCK_WRONG

    def __init__(self, max_age_seconds: int) -> None:
        super().__init__(
            f"The request's time stamp is more than {max_age_seconds // 60} minutes away "
            "from the server's time (or not a Unix time in seconds). Check the computer's "
            "date and time, then try again."
        )


class DeviceNotLinked(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_NOT_LINKED

    def __init__(self) -> None:
        super().__init__(
            "This device is not linked to a customer account (it may have been unlinked). "
            "Sign in again in the assistant to link it."
        )


class DeviceSignatureInvalid(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_SIGNATURE_INVALID

    def __init__(self, reason: str) -> None:
        super().__init__(f"The request's device signature is not valid: {reason}.")


class OfflineUseOtherDevice(ApiError):
    status_code = 422
    code = ErrorCode.OFFLINE_USE_OTHER_DEVICE

    def __init__(self, device_id: str) -> None:
        super().__init__(
            f"The report holds a use of device {device_id}: a device reports only its own "
            "offline code uses. Nothing was stored."
        )
