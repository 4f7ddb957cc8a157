"""A paid session's texts for the customer, in the assistant's current language (German
catalogue: `assistant/locale/de/LC_MESSAGES/assistant.po`, group "paid sessions"). Plain
words for people who are no technicians: what it costs, how it is counted, how much is
left, and what they can do now. Amounts come written by `isp_common.formatting`."""

from __future__ import annotations

from assistant.i18n import _
from isp_common.i18n import N_

BILLING_RULES = {
    "second": N_("Counted to the second: you pay only for the time actually used."),
    "started_minute": N_("Counted per started minute: each minute that has begun is paid in full."),
}

PAUSED = {
    "expert": N_("%(expert)s has paused the session. Nothing is charged during the pause."),
    "customer": N_("You have paused the session. Nothing is charged during the pause."),
    "disconnected": N_(
        "The connection was interrupted, so the session is paused. Nothing is charged "
        "during the pause."
    ),
    "maximum": N_(
        "Your maximum has been reached, so the session is paused. Raise the maximum to go "
        "on, or end the session."
    ),
}

# Why an amount the customer typed cannot be used (the maximum, a raise or a tip).
AMOUNT_REFUSALS = {
    "amount_empty": N_("Please enter an amount."),
    "amount_invalid": N_(
        "“%(text)s” is not an amount. Please enter an amount such as %(example)s."
    ),
    "amount_zero": N_("Please enter an amount greater than zero."),
    "amount_too_small": N_("Please enter at least %(minimum)s."),
    "amount_too_large": N_("Please enter at most %(limit)s."),
    "amount_over_spending_limit": N_(
        "Please enter at most %(limit)s: that is what is left of your monthly spending limit."
    ),
}

# A session command the server refused, by its code (`agent_portal.paid_sessions.errors`):
# our words where the customer needs to know what to do; the server's message otherwise
# (in the customer's language; `session_wrong_state`'s names the session's stage).
REFUSALS = {
    "command_id_reused": N_("This was already sent with other values. Please try again."),
    "session_not_found": N_("This paid session no longer exists."),
    "session_maximum_reached": N_(
        "Your maximum has been reached. Raise the maximum first, then resume."
    ),
}


def terms_text(terms: str, price: str) -> str:
    """The price as agreed: "€1.50 per minute", "Fixed price: €45.00"."""
    if terms == "fixed":
        return _("Fixed price: %(price)s") % {"price": price}
    return _("%(price)s per minute") % {"price": price}


def billing_text(rule: str) -> str:
    return _(BILLING_RULES.get(rule, BILLING_RULES["second"]))


def proposal_title(proposed_by: str, expert: str) -> str:
    if proposed_by == "customer":
        return _("You asked %(expert)s for a paid session") % {"expert": expert}
    return _("%(expert)s proposes a paid session") % {"expert": expert}


def proposal_note(terms: str) -> str:
    """What happens once the customer confirms: nothing starts before."""
    if terms == "fixed":
        return _(
            "Nothing is charged until you confirm. You pay the fixed price once the session "
            "has ended; the expert may waive part of it."
        )
    return _(
        "Nothing is charged until you confirm. The session pauses by itself when your "
        "maximum is reached: you can then raise it or end the session."
    )


def maximum_hint(minutes: int, cost: str) -> str:
    return _("%(minutes)s minutes cost %(cost)s.") % {"minutes": minutes, "cost": cost}


def spending_left_text(left: str) -> str:
    return _("Left of your monthly spending limit: %(left)s") % {"left": left}


def paused_text(reason: str | None, expert: str) -> str:
    return _(PAUSED.get(reason or "expert", PAUSED["expert"])) % {"expert": expert}


def resume_question(expert: str) -> str:
    return _("%(expert)s would like to go on. Resume the paid session?") % {"expert": expert}


def running_text(expert: str) -> str:
    return _("Paid session with %(expert)s is running.") % {"expert": expert}


def warning_text(percent: int, remaining: str) -> str:
    return _(
        "%(percent)s %% of your maximum is used: %(remaining)s left. Raise the maximum if "
        "you need more time."
    ) % {"percent": percent, "remaining": remaining}


def ended_text(expert: str) -> str:
    return _("The paid session with %(expert)s has ended.") % {"expert": expert}


def cancelled_text(expert: str) -> str:
    return _("The paid session with %(expert)s did not start. Nothing was charged.") % {
        "expert": expert
    }


def minutes_text(minutes: int) -> str:
    return _("%(minutes)s min") % {"minutes": minutes}


def waiting_text() -> str:
    return _("Sending … (it goes as soon as the connection is back)")


def tip_thanks(amount: str, expert: str) -> str:
    return _("Thank you: your tip of %(amount)s goes to %(expert)s in full.") % {
        "amount": amount,
        "expert": expert,
    }


def amount_refusal(code: str, **values: str) -> str:
    return _(AMOUNT_REFUSALS[code]) % values if values else _(AMOUNT_REFUSALS[code])


def no_fixed_price(expert: str) -> str:
    return _(
        "%(expert)s offers no session at a fixed price here. Please ask for a session per "
        "minute, or ask %(expert)s in the chat."
    ) % {"expert": expert or _("The expert")}


def refusal_text(code: str, message: str) -> str:
    """A server's refusal of a session command: our words where we have them."""
    return _(REFUSALS[code]) if code in REFUSALS else message
