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
    "closed": N_("This conversation has been closed. Please start a new one."),
    "empty_message": N_("The message is empty. Please write something or attach a file."),
    "message_too_long": N_("The message is too long. Please shorten it and send it again."),
    "attachment_invalid": N_("The attachment could not be sent. Please try another file."),
    "request_expired": N_("The request for a report had already expired."),
    "server_error": N_("Something went wrong at your provider. Please try again."),
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
}


def connection_text(state: str, refusal_code: str | None = None) -> str:
    """One line on the live help page: whether the assistant reaches the provider."""
    if state == "refused":
        return error_text(refusal_code or "server_error")
    return _(CONNECTION.get(state, CONNECTION["disconnected"]))


def report_outcome_text(outcome: str, agent: str) -> str:
    return _(REPORT_OUTCOMES.get(outcome, REPORT_OUTCOMES["failed"])) % {"agent": agent}


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
    return message.text


def sent_items(categories: list[str], include_premium: bool) -> list[str]:
    """What a report for these categories holds: the checks' titles, in the UI's language."""
    from assistant.diagnostics import select_checks

    return [check.title for check in select_checks(categories or None, include_premium)]
