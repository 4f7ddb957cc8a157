"""What redeeming a one-time code can refuse, as JSON API errors (`agent_portal.api_errors`).

ApiError
├── CodeFormatInvalid   422  not 8 digits: a typing slip, not counted as an attempt
├── CodeInvalid         403  no such code for this customer: counted; `attempts_left`
├── CodeExpired         410  the code's 15 minutes are over
├── CodeRevoked         410  the agent withdrew it
├── CodeAlreadyUsed     409  every code works once
└── TooManyAttempts     429  too many wrong codes: locked; `locked_until`
"""

from __future__ import annotations

from datetime import datetime

from agent_portal.api_errors import ApiError
from isp_common.i18n import N_
from isp_common.premium_wire import ErrorCode


class CodeFormatInvalid(ApiError):
    status_code = 422
    code = ErrorCode.CODE_FORMAT_INVALID
    template = N_("An unlock code has 8 digits, e.g. 1234 5678. Check it and send it again.")


class CodeInvalid(ApiError):
    status_code = 403
    code = ErrorCode.CODE_INVALID
    template = N_(
        "This code is not valid for your customer account. Check the 8 digits, or ask "
        "the hotline for a new code. Attempts left before a lock: %(attempts_left)s."
    )

    def __init__(self, attempts_left: int) -> None:
        super().__init__(fields={"attempts_left": attempts_left}, attempts_left=attempts_left)


class CodeExpired(ApiError):
    status_code = 410
    code = ErrorCode.CODE_EXPIRED
    template = N_("This code expired at %(time)s. Ask the hotline for a new one.")

    def __init__(self, expired_at: datetime) -> None:
        super().__init__(time=expired_at.strftime("%H:%M UTC"))


class CodeRevoked(ApiError):
    status_code = 410
    code = ErrorCode.CODE_REVOKED
    template = N_("This code has been withdrawn by the hotline. Ask for a new one.")


class CodeAlreadyUsed(ApiError):
    status_code = 409
    code = ErrorCode.CODE_ALREADY_USED
    template = N_(
        "This code has already been used; every code works once. Ask the hotline for a new one."
    )


class TooManyAttempts(ApiError):
    status_code = 429
    code = ErrorCode.TOO_MANY_ATTEMPTS
    template = N_(
        "Too many wrong codes: unlocking is locked for this customer account, device or "
        "address until %(time)s. Try again after that."
    )

    def __init__(self, locked_until: datetime, now: datetime) -> None:
        seconds = max(int((locked_until - now).total_seconds()), 1)
        super().__init__(
            headers={"Retry-After": str(seconds)},
            fields={"locked_until": locked_until},
            time=locked_until.strftime("%H:%M UTC"),
        )
