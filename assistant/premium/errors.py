"""Errors of premium on the desktop.

Like the shared errors (`isp_common.errors`), each has a stable `code` and an English
`message` a customer may be shown; `assistant.premium.texts` translates them. The detail
passed to the constructor is for logs only.

    PremiumError
    ├── FeatureLocked             a premium action without a matching entitlement;
    │                             `reason` says why (see LockReason in gate.py)
    ├── WrongTokenSource          a session token offered as a subscription, or the reverse
    ├── DeviceKeyError            the device's key pair cannot be read or written
    ├── OfflineCodeError          an offline unlock code that unlocks nothing
    │   ├── CodeFormatInvalid     not 8 digits: a typing slip, not counted as an attempt
    │   ├── CodeInvalid           wrong or too old; counted; `attempts_left`
    │   ├── CodeAlreadyUsed       every code works once
    │   └── TooManyAttempts       locked after too many wrong codes; `locked_until`
    └── CleanupError
        ├── PreviewNotFound       unknown, expired or already carried out
        └── UnknownCleanupRoot    a place that was not in the preview

Entitlement token errors (`TokenExpired`, `WrongDevice`, ...) come from
`isp_common.errors` and are raised unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar


class PremiumError(Exception):
    code: ClassVar[str] = "premium_error"
    message: ClassVar[str] = "Something went wrong. Please try again or call the hotline."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class FeatureLocked(PremiumError):
    code = "feature_locked"
    message = "This feature is part of Premium."

    def __init__(self, feature_id: str, reason: str, detail: str = "") -> None:
        super().__init__(detail or f"{feature_id} is locked: {reason}")
        self.feature_id = feature_id
        self.reason = reason


class WrongTokenSource(PremiumError):
    code = "wrong_token_source"
    message = "This unlock cannot be used here. Please call the hotline."


class DeviceKeyError(PremiumError):
    code = "device_key_error"
    message = (
        "The assistant's key for this computer could not be read. "
        "Please call the hotline to link this computer again."
    )


class OfflineCodeError(PremiumError):
    code = "offline_code_error"
    message = "The code could not be used. Please call the hotline."


class CodeFormatInvalid(OfflineCodeError):
    code = "code_format_invalid"
    message = "The code has 8 digits. Please check it and type it again."


class CodeInvalid(OfflineCodeError):
    code = "code_invalid"
    message = "This code is not correct or no longer valid. Please check it or ask for a new one."

    def __init__(self, attempts_left: int, detail: str = "") -> None:
        super().__init__(detail)
        self.attempts_left = attempts_left


class CodeAlreadyUsed(OfflineCodeError):
    code = "code_already_used"
    message = "This code has already been used. Please ask the hotline for a new one."


class TooManyAttempts(OfflineCodeError):
    code = "too_many_attempts"
    message = "Too many wrong codes. Please wait a quarter of an hour and try again."

    def __init__(self, locked_until: datetime, detail: str = "") -> None:
        super().__init__(detail)
        self.locked_until = locked_until


class CleanupError(PremiumError):
    code = "cleanup_error"
    message = "The cleanup could not be carried out. Please try again."


class PreviewNotFound(CleanupError):
    code = "cleanup_preview_not_found"
    message = "This overview is out of date. Please look at what can be cleaned up again."


class UnknownCleanupRoot(CleanupError):
    code = "cleanup_unknown_place"
    message = "This place was not part of the overview. Please look again."


ALL_ERRORS: tuple[type[PremiumError], ...] = (
    PremiumError,
    FeatureLocked,
    WrongTokenSource,
    DeviceKeyError,
    OfflineCodeError,
    CodeFormatInvalid,
    CodeInvalid,
    CodeAlreadyUsed,
    TooManyAttempts,
    CleanupError,
    PreviewNotFound,
    UnknownCleanupRoot,
)
