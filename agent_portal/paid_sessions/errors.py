"""What a paid session refuses. Every refusal is a `LiveError` (so a `PortalError`): on the
device channel an error frame whose `request_id` is the command's `command_id`, on a page
a message, each worded in the reader's language.

PaidSessionError                 400 session_refused
├── SessionNotFound              404 session_not_found: none such for this sender
├── ConversationNotPaid          409 session_not_possible: not an expert's open chat, or
│                                the expert has no such price (or the appointment is free)
├── SessionAlreadyOpen           409 session_already_open: one proposed or running per chat
├── WrongState                   409 session_wrong_state: e.g. resuming a running session
├── NotYourStep                  403 session_not_your_step: e.g. the expert confirming
├── MaximumTooLow                400 session_maximum_too_low: below one minute or the price
├── MaximumReached               409 session_maximum_reached: raise it before resuming
├── SpendingLimitReached         402 spending_limit_exceeded: the month's limit is used up
├── WaiverTooHigh                400 session_waiver_too_high: more than the amount
├── AmountNotUnderstood          400 session_amount_not_understood: not an amount of money
├── AlreadyTipped                409 session_already_tipped
└── CommandIdReused              409 command_id_reused: same command_id, other content
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent_portal.realtime.errors import N_, LiveError
from isp_common import formatting
from isp_common.paid_sessions_wire import COMMAND_ID_REUSED

STATUS_NAMES = {
    "proposed": N_("proposed"),
    "running": N_("running"),
    "paused": N_("paused"),
    "ended": N_("ended"),
    "cancelled": N_("cancelled"),
}


class PaidSessionError(LiveError):
    code = "session_refused"
    template = N_("The paid session cannot do this.")
    # Values that are amounts in minor units of the value `currency`, worded as money.
    money: tuple[str, ...] = ()

    def words(self, gettext: Callable[[str], str], language: str) -> dict[str, Any]:
        words = super().words(gettext, language)
        currency = words.pop("currency", None)
        for name in self.money:
            if currency and isinstance(words.get(name), int):
                words[name] = formatting.money(words[name], currency, locale=language)
        if words.get("status") in STATUS_NAMES:
            words["status"] = gettext(STATUS_NAMES[words["status"]])
        return words


class SessionNotFound(PaidSessionError):
    status_code = 404
    code = "session_not_found"
    template = N_("There is no such paid session.")


class ConversationNotPaid(PaidSessionError):
    status_code = 409
    code = "session_not_possible"
    template = N_("A paid session is not possible in this conversation.")


class SessionAlreadyOpen(PaidSessionError):
    status_code = 409
    code = "session_already_open"
    template = N_("A paid session is already proposed or running in this conversation.")


class WrongState(PaidSessionError):
    status_code = 409
    code = "session_wrong_state"
    template = N_("The paid session is %(status)s: this is not possible now.")


class NotYourStep(PaidSessionError):
    status_code = 403
    code = "session_not_your_step"
    template = N_("This step of the paid session is the other side's.")


class MaximumTooLow(PaidSessionError):
    code = "session_maximum_too_low"
    template = N_("The maximum must be at least %(minimum)s.")
    money = ("minimum",)


class MaximumReached(PaidSessionError):
    status_code = 409
    code = "session_maximum_reached"
    template = N_("The maximum is reached: raise it to continue.")


class SpendingLimitReached(PaidSessionError):
    status_code = 402
    code = "spending_limit_exceeded"
    template = N_(
        "This would pass the monthly spending limit of %(limit)s; %(left)s are left this month."
    )
    money = ("limit", "left")


class WaiverTooHigh(PaidSessionError):
    code = "session_waiver_too_high"
    template = N_("At most %(amount)s can be waived.")
    money = ("amount",)


class AlreadyTipped(PaidSessionError):
    status_code = 409
    code = "session_already_tipped"
    template = N_("This session has a tip already.")


class CommandIdReused(PaidSessionError):
    status_code = 409
    code = COMMAND_ID_REUSED
    template = N_("This command_id was used for another command.")


class AmountNotUnderstood(PaidSessionError):
    code = "session_amount_not_understood"
    template = N_("Enter the amount as a number of the currency, e.g. 2.50.")
