"""What the live help page shows of a conversation's paid session, in the current language:
the proposal with its terms and a maximum to confirm, the running meter (amount, time,
what is left of the maximum, the warning at 80 %), the paused state and the expert's
request to resume, the summary after the end with the tip step; and the customer's typed
amounts read back (`read_amount`), refused in words when they cannot be used.

Amounts are minor units and written by `isp_common.formatting` in the UI's language.
"""

from __future__ import annotations

from assistant.diagnostics.i18n import language
from assistant.escalation import session_texts as texts
from assistant.escalation.errors import LiveHelpError
from assistant.escalation.paid_sessions import PaidSession
from isp_common import formatting
from isp_common.paid_sessions_wire import (
    WARNING_PERCENT,
    SessionMeter,
    SessionProposal,
    SessionStatus,
    SessionSummary,
    SessionTerms,
)

DEFAULT_MAXIMUM_MINUTES = 15  # what the maximum field offers: a quarter of an hour's worth
# Without a monthly spending limit, a maximum above eight hours' worth is taken for a typo.
MAXIMUM_CAP_MINUTES = 8 * 60
TIP_CAP_MINOR = 100_00  # a tip above the session's amount and this is taken for a typo


class AmountRefused(LiveHelpError):
    """An amount the customer typed cannot be used; `text()` says why and what would do."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(code)
        self.code = code
        self.values = values

    def text(self) -> str:
        return texts.amount_refusal(self.code, **self.values)


def money(minor: int, currency: str) -> str:
    return formatting.money(minor, currency, locale=language())


# --- the customer's amounts -------------------------------------------------------------


def default_maximum(proposal: SessionProposal) -> int:
    """A quarter of an hour's worth (the fixed price for a fixed-price session), within
    what the server takes and what is left of the spending limit."""
    if proposal.terms is SessionTerms.fixed:
        return proposal.price
    wanted = max(proposal.price * DEFAULT_MAXIMUM_MINUTES, proposal.minimum_maximum)
    if proposal.spending_left is not None and proposal.spending_left >= proposal.minimum_maximum:
        wanted = min(wanted, proposal.spending_left)
    return wanted


def maximum_limit(proposal: SessionProposal, already: int = 0) -> tuple[int, str]:
    """The largest total maximum the customer may set, and the refusal's code beyond it."""
    if proposal.spending_left is not None:
        return proposal.spending_left, "amount_over_spending_limit"
    return max(proposal.price * MAXIMUM_CAP_MINUTES, already), "amount_too_large"


def read_amount(
    text: str,
    currency: str,
    *,
    minimum: int = 1,
    limit: int | None = None,
    limit_code: str = "amount_too_large",
) -> int:
    """The amount typed, in minor units; AmountRefused when it is empty, no amount, zero,
    below `minimum` or above `limit`."""
    if not text.strip():
        raise AmountRefused("amount_empty")
    try:
        amount = formatting.parse_money(text, currency, locale=language())
    except ValueError as err:
        example = formatting.money_input(2250, currency, locale=language())
        raise AmountRefused("amount_invalid", text=text.strip(), example=example) from err
    if amount == 0:
        raise AmountRefused("amount_zero")
    if amount < minimum:
        raise AmountRefused("amount_too_small", minimum=money(minimum, currency))
    if limit is not None and amount > limit:
        raise AmountRefused(limit_code, limit=money(limit, currency))
    return amount


def read_maximum(proposal: SessionProposal, text: str) -> int:
    """The maximum the customer confirms a per-minute session with (a fixed-price one is
    confirmed with its price)."""
    if proposal.terms is SessionTerms.fixed:
        return proposal.price
    limit, code = maximum_limit(proposal)
    return read_amount(
        text, proposal.currency, minimum=proposal.minimum_maximum, limit=limit, limit_code=code
    )


def read_raise(session: PaidSession, text: str) -> int:
    """How much more the customer allows: the new total stays within the limit."""
    meter = session.meter
    currency = meter.currency if meter else session.proposal.currency
    limit = None
    code = "amount_too_large"
    if session.proposal is not None and meter is not None:
        total, code = maximum_limit(session.proposal, meter.maximum)
        limit = max(total - meter.maximum, 0)
        if limit == 0:
            raise AmountRefused(code, limit=money(total, currency))
    return read_amount(text, currency, limit=limit, limit_code=code)


def read_tip(summary: SessionSummary, text: str) -> int:
    return read_amount(text, summary.currency, limit=max(summary.amount, TIP_CAP_MINOR))


# --- what the page shows -----------------------------------------------------------------


def session_view(session: PaidSession | None, *, waiting: bool = False, now: float = 0.0):
    """The page's paid-session panel for a conversation's latest session (None: none)."""
    if session is None:
        return None
    proposal, meter, summary = session.proposal, session.meter, session.summary
    known = summary or meter or proposal
    expert = (summary or proposal).expert_name if (summary or proposal) else ""
    stage = session.status.value
    price = meter.price if meter else proposal.price if proposal else 0
    view = {
        "id": session.session_id,
        "conversation_id": session.conversation_id,
        "stage": stage,
        "expert": expert,
        "terms": known.terms.value,
        "terms_text": texts.terms_text(known.terms.value, money(price, known.currency))
        if price
        else "",
        "waiting": waiting,
        "waiting_text": texts.waiting_text() if waiting else None,
        "proposal": None,
        "meter": None,
        "summary": None,
        "status_text": "",
    }
    if stage == "proposed" and proposal is not None:
        view["proposal"] = _proposal_view(proposal)
        view["status_text"] = view["proposal"]["title"]
    elif stage in ("running", "paused") and meter is not None:
        view["meter"] = _meter_view(meter, session, expert, now)
        view["status_text"] = view["meter"]["state_text"]
    elif stage == "ended" and summary is not None:
        view["summary"] = _summary_view(summary)
        view["status_text"] = texts.ended_text(expert)
    elif stage == "cancelled":
        view["status_text"] = texts.cancelled_text(expert)
    return view


def _proposal_view(proposal: SessionProposal) -> dict:
    currency = proposal.currency
    per_minute = proposal.terms is SessionTerms.per_minute
    default = default_maximum(proposal)
    return {
        "title": texts.proposal_title(proposal.proposed_by.value, proposal.expert_name),
        "billing_text": texts.billing_text(proposal.billing_rule.value) if per_minute else None,
        "note": texts.proposal_note(proposal.terms.value),
        "needs_maximum": per_minute,
        "default_maximum": formatting.money_input(default, currency, locale=language()),
        "currency": currency,
        "maximum_hint": texts.maximum_hint(
            DEFAULT_MAXIMUM_MINUTES, money(proposal.price * DEFAULT_MAXIMUM_MINUTES, currency)
        )
        if per_minute
        else None,
        "spending_left_text": texts.spending_left_text(money(proposal.spending_left, currency))
        if proposal.spending_left is not None
        else None,
    }


def _meter_view(meter: SessionMeter, session: PaidSession, expert: str, now: float) -> dict:
    currency = meter.currency
    per_minute = meter.terms is SessionTerms.per_minute
    running = meter.status is SessionStatus.running
    seconds = meter.billed_seconds
    if running and now and session.meter_received:
        seconds += max(int(now - session.meter_received), 0)
    percent = min(meter.amount * 100 // meter.maximum, 100) if meter.maximum else 0
    warning = per_minute and (meter.warning or percent >= WARNING_PERCENT)
    remaining = money(meter.remaining, currency)
    return {
        "running": running,
        "paused": not running,
        "state_text": texts.running_text(expert)
        if running
        else texts.paused_text(meter.paused_reason and meter.paused_reason.value, expert),
        "paused_reason": meter.paused_reason.value if meter.paused_reason else None,
        "resume_requested": meter.resume_requested and not running,
        "resume_question": texts.resume_question(expert) if meter.resume_requested else None,
        "seconds": seconds,
        "time_text": formatting.duration(seconds, locale=language()),
        "amount_text": money(meter.amount, currency),
        "maximum_text": money(meter.maximum, currency) if per_minute else None,
        "remaining_text": remaining if per_minute else None,
        "percent": percent,
        "warning": warning,
        "warning_text": texts.warning_text(percent, remaining) if warning else None,
        "can_raise": per_minute,
        "currency": currency,
    }


def _summary_view(summary: SessionSummary) -> dict:
    currency = summary.currency
    rows = [
        ("time", texts.minutes_text(summary.minutes)),
        ("amount", money(summary.amount, currency)),
        ("waived", money(summary.waived, currency)),
        ("tip", money(summary.tip, currency)),
        ("total", money(summary.total, currency)),
    ]
    return {
        "rows": [{"key": key, "value": value} for key, value in rows],
        "total_text": money(summary.total, currency),
        "tip_open": summary.tip == 0,
        "tip_text": texts.tip_thanks(money(summary.tip, currency), summary.expert_name)
        if summary.tip
        else None,
        "currency": currency,
    }
