"""What billing refuses. The feed's and the acknowledgement's refusals are JSON API errors
(`agent_portal.api_errors`); the admin's refund is refused on its page.

BillingError                      400 billing_refused
├── CursorInvalid                 400 billing_cursor_invalid: not a cursor this feed gave
├── UnknownCharges                404 billing_charges_unknown: ids no line has (`unknown_ids`)
├── RefundInvalid                 400 billing_refund_invalid: amount or reason unusable
├── NothingCaptured               409 billing_nothing_captured: no capture of that kind
├── RefundAboveCapture            409 billing_refund_above_capture: more than is left
├── PaidSessionNotFound           404 billing_paid_session_not_found
├── DisputeInvalid                400 billing_dispute_invalid: no reason, or a resolution unknown
└── DisputeResolved               409 billing_dispute_resolved: resolved before
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent_portal.api_errors import ApiError
from isp_common import formatting
from isp_common.i18n import N_


class BillingError(ApiError):
    status_code = 400
    code = "billing_refused"


class CursorInvalid(BillingError):
    code = "billing_cursor_invalid"
    template = N_(
        "The cursor is not one this feed gave out: start without one, or pass the "
        "next_cursor of the page before."
    )


class UnknownCharges(BillingError):
    status_code = 404
    code = "billing_charges_unknown"
    template = N_("No billing charge has the ids %(ids)s; nothing was acknowledged.")

    def __init__(self, unknown_ids: list[int]) -> None:
        super().__init__(
            fields={"unknown_ids": unknown_ids}, ids=", ".join(str(i) for i in unknown_ids)
        )


class RefundInvalid(BillingError):
    code = "billing_refund_invalid"


AMOUNT_INVALID = N_("Enter the amount to refund as a positive number, such as 12.50.")
REASON_MISSING = N_("Give a reason for the refund (at most 500 characters).")


class NothingCaptured(BillingError):
    status_code = 409
    code = "billing_nothing_captured"
    template = N_("This session has no captured %(what)s to refund.")

    def words(self, gettext: Callable[[str], str], language: str) -> dict[str, Any]:
        return {"what": gettext(self.values["what"])}


class RefundAboveCapture(BillingError):
    status_code = 409
    code = "billing_refund_above_capture"
    template = N_(
        "A refund of %(amount)s is more than is left of what was captured (%(left)s); "
        "nothing was refunded."
    )

    def __init__(self, *, amount: int, left: int, currency: str) -> None:
        super().__init__(amount=amount, left=left, currency=currency)

    def words(self, gettext: Callable[[str], str], language: str) -> dict[str, Any]:
        currency = self.values["currency"]
        return {
            "amount": formatting.money(self.values["amount"], currency, locale=language),
            "left": formatting.money(self.values["left"], currency, locale=language),
        }


class PaidSessionNotFound(BillingError):
    status_code = 404
    code = "billing_paid_session_not_found"
    template = N_("There is no paid session %(session_id)s.")


class DisputeInvalid(BillingError):
    code = "billing_dispute_invalid"


DISPUTE_REASON_MISSING = N_("Say what is wrong with the session (at most 1000 characters).")
RESOLUTION_UNKNOWN = N_("Choose whether the dispute ended with a refund or was rejected.")
NO_DISPUTE = N_("The customer has not disputed this session.")
NOTE_TOO_LONG = N_("The note may have at most 1000 characters.")


class DisputeResolved(BillingError):
    status_code = 409
    code = "billing_dispute_resolved"
    template = N_("This dispute was resolved before; nothing was changed.")
