"""What the payouts refuse; nothing is stored when one is raised.

PayoutError              400 payout_refused
├── UnknownPeriod        404 unknown_period: not a month as YYYY-MM
├── UnknownExpert        404 unknown_expert: no expert of that id
├── NotYourPayouts       403 payouts_not_yours: an expert asking for another's
├── PeriodNotOver        409 period_not_over: the month has not ended yet
├── AlreadyPaidOut       409 already_paid_out: the month was marked paid out before
└── NothingToPayOut      409 nothing_to_pay_out: no net earnings in the month
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError
from isp_common.i18n import N_


class PayoutError(ApiError):
    status_code = 400
    code = "payout_refused"
    template = N_("The payout cannot be made.")


class UnknownPeriod(PayoutError):
    status_code = 404
    code = "unknown_period"
    template = N_("There is no period “%(period)s”: give a month as YYYY-MM, e.g. 2026-11.")


class UnknownExpert(PayoutError):
    status_code = 404
    code = "unknown_expert"
    template = N_("There is no such expert.")


class NotYourPayouts(PayoutError):
    status_code = 403
    code = "payouts_not_yours"
    template = N_("You can only see your own payouts.")


class PeriodNotOver(PayoutError):
    status_code = 409
    code = "period_not_over"
    template = N_("The month %(period)s is not over yet; it can be paid out once it has ended.")


class AlreadyPaidOut(PayoutError):
    status_code = 409
    code = "already_paid_out"
    template = N_("The earnings of %(expert)s for %(period)s were already paid out.")


class NothingToPayOut(PayoutError):
    status_code = 409
    code = "nothing_to_pay_out"
    template = N_("%(expert)s has nothing to be paid out for %(period)s.")
