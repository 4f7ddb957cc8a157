"""Errors of premium on the desktop.

Like the shared errors (`isp_common.errors`), each has a stable `code` and an English
`message` a customer may be shown; `assistant.premium.texts` translates them. The detail
passed to the constructor is for logs only.

    PremiumError
    ├── FeatureLocked             a premium action without a matching entitlement;
    │                             `reason` says why (see LockReason in gate.py)
    ├── WrongTokenSource          a session token offered as a subscription, or the reverse
    ├── DeviceKeyError            the device's key pair cannot be read or written
    ├── NotSignedIn               an action that needs a linked computer, before sign-in
    ├── OfflineCodeError          an unlock code (offline, or checked by the server) that
    │   │                         unlocks nothing
    │   ├── CodeFormatInvalid     not 8 digits: a typing slip, not counted as an attempt
    │   ├── CodeInvalid           wrong or too old; counted; `attempts_left`
    │   ├── CodeAlreadyUsed       every code works once
    │   ├── CodeExpired           the server says its minutes are over
    │   ├── CodeRevoked           the server says the hotline withdrew it
    │   └── TooManyAttempts       locked after too many wrong codes; `locked_until`
    ├── ServerError               talking to the ISP's server did not work out
    │   ├── ServerUnreachable     no answer, or the server is down: offline rules apply
    │   ├── ServerAnswerInvalid   an answer this version does not understand
    │   ├── ServerNotTrusted      its signing key is not linked to a key the build pins
    │   └── ServerRefused         the server said no (`status`)
    │       ├── SignInFailed      account number, password or activation code wrong
    │       ├── SignInLocked      too many failed sign-ins; `locked_until`
    │       ├── DeviceLimitReached  `device_limit`, `linked_devices` (names), `release`
    │       │                     (the computers, and a ticket to release one of them)
    │       ├── ReleaseTicketInvalid  the ticket is used, expired, or there is none
    │       ├── ReleaseDeviceUnknown  the computer to release is not linked (any more)
    │       ├── DeviceLinkedElsewhere
    │       ├── DeviceNotLinked   unlinked meanwhile (e.g. by an agent): sign in again
    │       └── DeviceClockWrong  the computer's clock is too far off
    └── CleanupError
        ├── PreviewNotFound       unknown, expired or already carried out
        ├── UnknownCleanupRoot    a place that was not in the preview
        └── CleanupRunning        one cleanup at a time

Entitlement token errors (`TokenExpired`, `WrongDevice`, ...) come from
`isp_common.errors` and are raised unchanged. An error made from a server's answer keeps
the server's English sentence in `server_message` (for logs and support), besides its own
`message` the UI translates by `code`.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from isp_common.premium_wire import ReleaseOffer


class PremiumError(Exception):
    code: ClassVar[str] = "premium_error"
    message: ClassVar[str] = "Something went wrong. Please try again or call the hotline."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail
        self.server_message = ""


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


class CodeExpired(OfflineCodeError):
    code = "code_expired"
    message = "This code has expired. Please ask the hotline for a new one."


class CodeRevoked(OfflineCodeError):
    code = "code_revoked"
    message = "This code has been withdrawn by the hotline. Please ask for a new one."


class NotSignedIn(PremiumError):
    code = "not_signed_in"
    message = "This computer is not linked yet. Please sign in with your customer number first."


class ServerError(PremiumError):
    code = "server_error"
    message = "The server of your internet provider could not be asked. Please try again later."


class ServerUnreachable(ServerError):
    code = "server_unreachable"
    message = (
        "The server of your internet provider cannot be reached. "
        "Please check your internet connection and try again."
    )


class ServerAnswerInvalid(ServerError):
    code = "server_answer_invalid"
    message = (
        "The server of your internet provider gave an answer this version of the assistant "
        "does not understand. Please update the assistant or call the hotline."
    )


class ServerNotTrusted(ServerError):
    code = "server_not_trusted"
    message = (
        "The assistant could not confirm that this server belongs to your internet provider, "
        "so it does not trust it. Please call the hotline."
    )


class ServerRefused(ServerError):
    code = "server_refused"
    message = (
        "The server of your internet provider refused the request. "
        "Please try again or call the hotline."
    )

    def __init__(self, detail: str = "", *, status: int = 400) -> None:
        super().__init__(detail)
        self.status = status


class SignInFailed(ServerRefused):
    code = "sign_in_failed"
    message = (
        "The customer number, password or activation code is not correct. "
        "Please check them and try again."
    )


class SignInLocked(ServerRefused):
    code = "sign_in_locked"
    message = "Too many failed sign-ins. Please wait a quarter of an hour and try again."

    def __init__(self, locked_until: datetime, detail: str = "", *, status: int = 429) -> None:
        super().__init__(detail, status=status)
        self.locked_until = locked_until


class DeviceLimitReached(ServerRefused):
    code = "device_limit_reached"
    message = (
        "Every place for a computer on your customer account is taken. Open the assistant "
        "on one of your other computers and unlink it there, or call the hotline."
    )

    def __init__(
        self,
        device_limit: int,
        linked_devices: tuple[str, ...],
        detail: str = "",
        *,
        status: int = 409,
        release: ReleaseOffer | None = None,
    ) -> None:
        super().__init__(detail, status=status)
        self.device_limit = device_limit
        self.linked_devices = linked_devices
        self.release = release


class ReleaseTicketInvalid(ServerRefused):
    code = "release_ticket_invalid"
    message = (
        "The time to choose a computer to release has run out, or the choice was made "
        "already. Please sign in again."
    )


class ReleaseDeviceUnknown(ServerRefused):
    code = "release_device_unknown"
    message = (
        "That computer is no longer linked to your customer account, so nothing was "
        "released. Please sign in again to see your computers as they are now."
    )


class DeviceLinkedElsewhere(ServerRefused):
    code = "device_linked_elsewhere"
    message = "This computer is linked to another customer account. Please call the hotline."


class DeviceNotLinked(ServerRefused):
    code = "device_not_linked"
    message = (
        "This computer is not linked to your customer account (any more). Please sign in again."
    )


class DeviceClockWrong(ServerRefused):
    code = "device_clock_wrong"
    message = (
        "Your computer's clock is wrong, so the server refused the request. "
        "Please check the date and time."
    )


class CleanupError(PremiumError):
    code = "cleanup_error"
    message = "The cleanup could not be carried out. Please try again."


class PreviewNotFound(CleanupError):
    code = "cleanup_preview_not_found"
    message = "This overview is out of date. Please look at what can be cleaned up again."


class UnknownCleanupRoot(CleanupError):
    code = "cleanup_unknown_place"
    message = "This place was not part of the overview. Please look again."


class CleanupRunning(CleanupError):
    code = "cleanup_running"
    message = "A cleanup is running already. Please wait until it has finished."


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
    CodeExpired,
    CodeRevoked,
    NotSignedIn,
    ServerError,
    ServerUnreachable,
    ServerAnswerInvalid,
    ServerNotTrusted,
    ServerRefused,
    SignInFailed,
    SignInLocked,
    DeviceLimitReached,
    ReleaseTicketInvalid,
    ReleaseDeviceUnknown,
    DeviceLinkedElsewhere,
    DeviceNotLinked,
    DeviceClockWrong,
    CleanupError,
    PreviewNotFound,
    UnknownCleanupRoot,
    CleanupRunning,
)
