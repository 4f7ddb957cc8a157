"""What the devices domain refuses, as JSON API errors (`agent_portal.api_errors`).

ApiError
├── SignInFailed            401  account number, password or activation code wrong
├── SignInLocked            429  too many failed sign-ins; `locked_until`
├── CredentialRejected      422  a password the ISP's back end sent is not acceptable
├── DeviceLimitReached      409  the subscription's devices are all linked
├── DeviceLinkedElsewhere   409  the computer is linked to another customer
├── DeviceAuthMissing       401  a device request without its X-Device-* headers
├── DeviceClockWrong        401  its timestamp is more than the allowed age off
├── DeviceNotLinked         401  unknown device, or unlinked meanwhile
├── DeviceSignatureInvalid  401  not signed with the device's key
└── OfflineUseOtherDevice   422  a reported offline-code use of another device
"""

from __future__ import annotations

from datetime import datetime

from agent_portal.api_errors import ApiError
from isp_common.premium_wire import ErrorCode


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
    status_code = 409
    code = ErrorCode.DEVICE_LIMIT_REACHED

    def __init__(self, limit: int, linked: list[str]) -> None:
        if limit == 0:
            detail = "Your subscription allows no device to be linked. Please ask the hotline."
        elif len(linked) == 1:
            detail = (
                f"Your subscription allows {limit} device and {_quoted_names(linked)} is "
                "already linked. Unlink a device in the assistant on that computer, or ask "
                "the hotline."
            )
        else:
            devices = "device" if limit == 1 else "devices"
            detail = (
                f"Your subscription allows {limit} {devices} and {_quoted_names(linked)} are "
                "already linked. Unlink a device in the assistant on one of those computers, "
                "or ask the hotline."
            )
        super().__init__(detail, device_limit=limit, linked_devices=linked)


class DeviceLinkedElsewhere(ApiError):
    status_code = 409
    code = ErrorCode.DEVICE_LINKED_ELSEWHERE

    def __init__(self) -> None:
        super().__init__(
            "This computer is linked to another customer account. Unlink it there first, "
            "or ask the hotline."
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
