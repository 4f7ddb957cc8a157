"""Live help's texts for the customer, in the assistant's current language (German
catalogue: `assistant/locale/de/LC_MESSAGES/assistant.po`, group "live help")."""

from __future__ import annotations

from assistant import formats
from assistant.i18n import _
from isp_common.i18n import N_
from isp_common.live_wire import ConversationInfo, MessageInfo

TOPICS = {
    "internet": N_("Internet connection"),
    "wifi": N_("Wi-Fi"),
    "email": N_("E-mail"),
    "computer": N_("Computer"),
    "security": N_("Security"),
    "contract": N_("Contract and billing"),
}

ERRORS = {
    "not_linked": N_(
        "Live help works once this computer is linked to your customer account. Please "
        "sign in under “Premium” first."
    ),
    "not_connected": N_(
        "There is no connection to your provider right now. Live help "
        "reconnects by itself; please try again in a moment."
    ),
    "unknown_device": N_(
        "This computer is not linked to your customer account. Please sign "
        "in again in the assistant."
    ),
    "bad_signature": N_(
        "Your provider did not recognise this computer. Please sign in again in the assistant."
    ),
    "not_found": N_("This conversation no longer exists."),
    "expert_not_found": N_("This expert cannot be found (any more)."),
    "offer_closed": N_("This offer has already been answered, withdrawn or has expired."),
    "offer_not_found": N_("This offer has already been answered, withdrawn or has expired."),
    "closed": N_("This conversation has been closed. Please start a new one."),
    "empty_message": N_("The message is empty. Please write something or attach a file."),
    "message_too_long": N_("The message is too long. Please shorten it and send it again."),
    "attachment_invalid": N_("The attachment could not be sent. Please try another file."),
    "request_expired": N_("The request for a report had already expired."),
    "server_error": N_("Something went wrong at your provider. Please try again."),
    "session_not_found": N_("This paid session no longer exists."),
    "session_state": N_(
        "This is not possible at this point of the paid session. The page shows what you "
        "can do now."
    ),
}


CONNECTION = {
    "unlinked": ERRORS["not_linked"],
    "connecting": N_("Connecting to your provider …"),
    "connected": N_("Connected to your provider."),
    "disconnected": N_(
        "No connection to your provider right now. The assistant reconnects by itself; "
        "what you write is sent as soon as the connection is back."
    ),
}

# Where a conversation stands, in the list beside the chat panel.
SHORT_STATUSES = {
    "queued": N_("in the queue"),
    "active": N_("live chat"),
    "ticket": N_("waiting for an answer"),
    "answered": N_("answered"),
    "closed": N_("ended"),
}

# How a request for a report ended, as the customer hears it afterwards.
REPORT_OUTCOMES = {
    "running": N_("Checking your computer for %(agent)s …"),
    "sent": N_("Your report has been sent to %(agent)s."),
    "declined": N_("You declined the request from %(agent)s. Nothing was sent."),
    "expired": N_("The request from %(agent)s has ended. Nothing was sent."),
    "unanswered": N_("The request from %(agent)s has ended. Nothing was sent."),
    "failed": N_("The checks for %(agent)s could not be completed. Nothing was sent."),
    "revoked": N_("You stopped the report for %(agent)s. Nothing was sent."),
}

# Who asks for a consent, by their role at the provider.
ASKERS = {
    "agent": N_("%(name)s from your provider's hotline"),
    "admin": N_("%(name)s from your provider's hotline"),
    "expert": N_("%(name)s, an expert at your provider"),
}

# The consent dialog and the list of what is shared, per kind: the dialog's title, who
# asks for what (`intro`), the heading of what will be shared (`items`), what is never
# shared, until when the permission lasts, the button that allows, and the line in the
# list of what is shared. The assistant serves the report; the other kinds are declined
# without a dialog until it can serve them (`consent.ConsentResponder`).
CONSENT_KINDS = {
    "report": {
        "title": N_("Your provider asks for a report"),
        "intro": N_("%(who)s asks for a report on this computer, to help you."),
        "items": N_("The report holds the results of these checks:"),
        "note": N_(
            "Nothing else is sent: no files, no passwords, no screen. Without your answer "
            "the request ends after two minutes and nothing is sent."
        ),
        "until": N_(
            "Your permission ends as soon as the report has been sent; until then you can "
            "stop it under “Live help”."
        ),
        "allow": N_("Allow and send"),
        "shared": N_("A report on this computer"),
    },
    "screen_view": {
        "title": N_("Your provider asks to see your screen"),
        "intro": N_("%(who)s asks to see your screen, to help you."),
        "items": N_("What is shared:"),
        "note": N_(
            "Nothing is shared before you choose “Share”. Only the picture is shared: "
            "nobody can use your computer. Without your answer the request ends after two "
            "minutes and nothing is shared."
        ),
        "until": N_(
            "Sharing lasts until you stop it: with “Stop sharing” in the small window that "
            "stays on top, or under “Live help”."
        ),
        "allow": N_("Share my whole screen"),
        "shared": N_("A view of your screen"),
    },
    "control": {
        "title": N_("Your provider asks to control your computer"),
        "intro": N_("%(who)s asks to use your mouse and keyboard, to help you."),
        "items": N_("What is shared:"),
        "note": N_(
            "You see everything that happens and can take over at any time. Without your "
            "answer the request ends after two minutes."
        ),
        "until": N_(
            "Control lasts until you take it back: with “Take back control” in the small "
            "window that stays on top, or under “Live help”."
        ),
        "allow": N_("Allow control"),
        "shared": N_("Control of your computer"),
    },
    "call": {
        "title": N_("Your provider asks to call you"),
        "intro": N_("%(who)s asks to talk to you through this computer, to help you."),
        "items": N_("What is shared:"),
        "note": N_("Without your answer the request ends after two minutes."),
        "until": N_("Your permission lasts until you stop it under “Live help”."),
        "allow": N_("Allow"),
        "shared": N_("A call through this computer"),
    },
}


def connection_text(state: str, refusal_code: str | None = None) -> str:
    """One line on the live help page: whether the assistant reaches the provider."""
    if state == "refused":
        return error_text(refusal_code or "server_error")
    return _(CONNECTION.get(state, CONNECTION["disconnected"]))


def report_outcome_text(outcome: str, agent: str) -> str:
    return _(REPORT_OUTCOMES.get(outcome, REPORT_OUTCOMES["failed"])) % {"agent": agent}


def asker_text(name: str, role: str) -> str:
    """Who asks: the name with the role at the provider."""
    return _(ASKERS.get(role, ASKERS["agent"])) % {"name": name or _("the hotline")}


def consent_text(kind: str, part: str, **values: str) -> str:
    """One part of the consent dialog or of the list of what is shared, for the kind."""
    text = _(CONSENT_KINDS[kind][part])
    return text % values if values else text


def error_text(code: str) -> str:
    return _(ERRORS.get(code, ERRORS["server_error"]))


def attachment_too_large(size_bytes: int, limit_bytes: int) -> str:
    return _("The file is too large (%(size)s). Files up to %(limit)s can be sent.") % {
        "size": formats.size(size_bytes),
        "limit": formats.size(limit_bytes),
    }


def message_too_long(length: int, limit: int) -> str:
    return _(
        "The message is too long: %(length)s characters. Messages of up to %(limit)s "
        "characters can be sent."
    ) % {"length": formats.number(length), "limit": formats.number(limit)}


def topic_text(topic: str) -> str:
    return _(TOPICS.get(topic, topic))


def conversation_title(conversation: ConversationInfo) -> str:
    """What a conversation is about, in a few words: its topic, or for a pre-chat the
    expert."""
    if conversation.kind == "expert_prechat":
        return _("Pre-chat with %(name)s") % {"name": conversation.agent_name or ""}
    return topic_text(conversation.topic.value)


def status_short_text(status: str) -> str:
    """A few words for the list of conversations; the full sentence is the chat panel's."""
    return _(SHORT_STATUSES.get(status, SHORT_STATUSES["closed"]))


def status_text(conversation: ConversationInfo) -> str:
    """One line for the chat panel: where the customer's request stands (the one place
    that says so: the list says it in a few words, the history only what happened)."""
    status = conversation.status.value
    if status == "queued":
        if conversation.queue_position == 1:
            return _("You are next. An agent will be with you shortly.")
        return _("You are number %(position)d in the queue.") % {
            "position": conversation.queue_position or 0
        }
    if status == "active":
        if conversation.kind == "expert_prechat":
            return _("Free pre-chat with %(name)s.") % {"name": conversation.agent_name or ""}
        return _("You are chatting with %(name)s.") % {"name": conversation.agent_name or ""}
    if status == "ticket":
        return _("No agent is free right now. You will get the answer here and by e-mail.")
    if status == "answered":
        return _("Your question has been answered. You can reply here.")
    return _("This conversation has ended.")


def system_text(message: MessageInfo) -> str:
    """A system message (handover, queue, end) in words."""
    params = dict(message.params)
    event = message.event.value if message.event else ""
    if event == "assigned":
        return _("%(agent)s is now looking after you.") % {"agent": params.get("agent", "")}
    if event == "transferred":
        if "agent" in params:
            return _("Your chat has been handed over to %(agent)s.") % {"agent": params["agent"]}
        return _("Your chat has been handed over to the team for “%(topic)s”.") % {
            "topic": topic_text(params.get("topic", ""))
        }
    if event == "queued":
        return _(
            "Your agent had to leave. You are back in the queue; the next free agent "
            "sees everything written so far."
        )
    if event == "ticket":
        # The status line says why and what comes next; the history marks the moment.
        return _("Your question has been saved for the hotline.")
    if event == "closed":
        return _("The conversation has ended.")
    if event == "expert_offline":
        # Plainly, and what happens next: the expert answers here later.
        return _(
            "%(expert)s is not online right now. Your message waits for them, and they "
            "will answer here later."
        ) % {"expert": params.get("expert", "")}
    if event == "expert_away":
        return _(
            "%(expert)s could not answer in time and is away now. Your message waits for "
            "them, and they will answer here later."
        ) % {"expert": params.get("expert", "")}
    if event == "expert_offered":
        return _("Your agent offers you the expert %(expert)s.") % {
            "expert": params.get("expert", "")
        }
    if event == "expert_accepted":
        # The same thread goes on: the expert sees everything written so far.
        return _(
            "You accepted: %(expert)s takes over this chat and sees everything written so "
            "far. The pre-chat is free."
        ) % {"expert": params.get("expert", "")}
    if event == "expert_declined":
        return _("You declined the expert %(expert)s. Your agent stays with you.") % {
            "expert": params.get("expert", "")
        }
    if event == "offer_withdrawn":
        return _("Your agent withdrew the offer of %(expert)s.") % {
            "expert": params.get("expert", "")
        }
    if event == "offer_expired":
        return _("The offer of %(expert)s has expired.") % {"expert": params.get("expert", "")}
    return message.text


def sent_items(categories: list[str], include_premium: bool) -> list[str]:
    """What a report for these categories holds: the checks' titles, in the UI's language."""
    from assistant.diagnostics import select_checks

    return [check.title for check in select_checks(categories or None, include_premium)]
