"""Screen sharing's and remote control's texts for the customer, in the assistant's
current language (German: `assistant/locale/de/LC_MESSAGES/assistant.po`): what a view or
control shares, why the desktop cannot be shared, the indicator, and the list of what was
shared with whom."""

from __future__ import annotations

from assistant.i18n import _
from isp_common.i18n import N_

ITEMS = {
    "screen_view": [
        N_("The picture of your screen, or of one window if you choose so."),
        N_("Windows whose titles are on your privacy list are blacked out."),
        N_("The viewer cannot use your mouse or keyboard: that needs a second question."),
    ],
    "control": [
        N_("Your mouse and keyboard, while you share your screen."),
        N_("Keys held by the helper are let go as soon as you take back control."),
    ],
}

UNAVAILABLE = {
    "wayland": N_(
        "Screen sharing is not available on this desktop (Wayland). The assistant "
        "declined the request from %(who)s. You can send a diagnostics report instead."
    ),
    "no_display": N_(
        "Screen sharing is not available: this computer shows no desktop to the "
        "assistant. The assistant declined the request from %(who)s. You can send a "
        "diagnostics report instead."
    ),
    "default": N_(
        "Screen sharing is not available on this desktop. The assistant declined the "
        "request from %(who)s. You can send a diagnostics report instead."
    ),
}

# How a view or control ended, for the list of what was shared.
OUTCOMES = {
    "pending": N_("waiting for your answer"),
    "granted": N_("allowed"),
    "declined": N_("declined"),
    "unanswered": N_("not answered: nothing shared"),
    "expired": N_("not answered: nothing shared"),
    "withdrawn": N_("withdrawn before you answered"),
    "unavailable": N_("not possible on this desktop: declined"),
    "not_viewing": N_("declined: you were not sharing your screen"),
    "failed": N_("failed"),
}

STOPS = {
    "revoked": N_("you stopped it"),
    "closed": N_("ended by your provider"),
    "relay_closed": N_("ended by your provider"),
    "chat_ended": N_("the chat ended"),
    "signed_out": N_("you signed out"),
    "assistant_closed": N_("the assistant was closed"),
    "connection_lost": N_("the connection was lost"),
    "unavailable": N_("the picture could not be made"),
    "parent_closed": N_("the screen view ended"),
    "expired": N_("its time ran out"),
    "stopped": N_("ended"),
}

KINDS = {
    "screen_view": N_("Screen view"),
    "control": N_("Remote control"),
    "report": N_("Diagnostics report"),
    "call": N_("Call"),
}

CHOICES = {"screen": N_("whole screen"), "window": N_("one window")}


def screen_items(kind: str) -> list[str]:
    return [_(item) for item in ITEMS[kind]]


def unavailable_text(reason: str, who: str) -> str:
    return _(UNAVAILABLE.get(reason, UNAVAILABLE["default"])) % {"who": who}


def outcome_text(outcome: str) -> str:
    return _(OUTCOMES.get(outcome, OUTCOMES["failed"]))


def stop_text(reason: str) -> str:
    return _(STOPS.get(reason, STOPS["stopped"]))


def kind_text(kind: str) -> str:
    return _(KINDS.get(kind, kind))


def device_text(device_name: str) -> str:
    """Where a request went when it was not this computer."""
    return _("on “%(device)s”") % {"device": device_name} if device_name else ""


def choice_text(choice: str | None) -> str:
    return _(CHOICES[choice]) if choice in CHOICES else ""


def watching_text(name: str, control: bool) -> str:
    """The indicator's one line: who sees, and whether they control."""
    if control:
        return _("%(name)s sees your screen and controls your mouse and keyboard.") % {"name": name}
    return _("%(name)s sees your screen.") % {"name": name}
