"""What the live help page shows, built from the desk's state in the current language:
the connection, the server's limits, the conversations with their messages and those on
their way, the conversation to show, a question for the customer and how the latest
request for a report went."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from assistant import formats
from assistant.escalation import texts
from assistant.i18n import _
from isp_common.live_wire import MessageInfo, Topic

if TYPE_CHECKING:
    from assistant.escalation.desk import LiveDesk, Outgoing
    from assistant.escalation.live_help import LiveHelp


def page_view(desk: LiveDesk) -> dict:
    help = desk.help
    if help is None:
        state, refusal = "unlinked", None
    else:
        state = help.connection
        refusal = help.channel.refusal.code if help.channel.refusal else None
    limit = help.chat.attachment_limit if help else None
    question = desk.questions[0] if desk.questions else None
    return {
        "version": desk.version,
        "state": state,
        "state_text": texts.connection_text(state, refusal),
        "attachment_limit": limit,
        "attachment_limit_text": formats.size(limit) if limit else None,
        "message_max_chars": help.chat.message_limit if help else None,
        "topics": [{"id": t.value, "text": texts.topic_text(t.value)} for t in Topic],
        "conversations": _conversation_views(desk, help) if help else [],
        "current": _current(desk, help) if help else None,
        "consent": (
            {"id": question.id, "agent_name": question.agent_name, "items": question.items}
            if question
            else None
        ),
        "activity": _activity_view(desk),
    }


def _current(desk: LiveDesk, help: LiveHelp) -> int | None:
    """The conversation to show: the current one, else the newest open one."""
    if desk.current is not None and help.chat.conversation(desk.current) is not None:
        return desk.current
    open_ones = [info for info in help.conversations() if info.status.value != "closed"]
    newest = max(open_ones, key=lambda info: info.created_at, default=None)
    return newest.id if newest else None


def _activity_view(desk: LiveDesk) -> dict | None:
    if desk.activity is None:
        return None
    agent = desk.activity.agent_name or _("the hotline")
    return {
        "stage": desk.activity.stage,
        "text": texts.report_outcome_text(desk.activity.stage, agent),
    }


def _conversation_views(desk: LiveDesk, help: LiveHelp) -> list[dict]:
    now = time.monotonic()
    views = []
    for info in sorted(help.conversations(), key=lambda c: c.created_at, reverse=True):
        messages = help.messages(info.id)
        stored_keys = {m.client_msg_id for m in messages if m.client_msg_id}
        views.append(
            {
                "id": info.id,
                "topic": info.topic.value,
                # A pre-chat has no hotline topic: its expert says what it is.
                "topic_text": texts.conversation_title(info),
                "kind": info.kind.value,
                "status": info.status.value,
                "status_text": texts.status_text(info),
                "status_short_text": texts.status_short_text(info.status.value),
                "open": info.status.value != "closed",
                "agent_name": info.agent_name,
                "created_at": info.created_at.isoformat(),
                "created_text": formats.day(info.created_at),
                "agent_typing": desk._typing_until.get(info.id, 0) > now,
                "messages": [message_view(m) for m in messages],
                "sending": [
                    _outgoing_view(outgoing)
                    for outgoing in desk.outbox.values()
                    if outgoing.conversation_id == info.id and outgoing.key not in stored_keys
                ],
            }
        )
    return views


def message_view(message: MessageInfo) -> dict:
    attachment = message.attachment
    system = message.sender.value == "system"
    return {
        "seq": message.seq,
        "sender": message.sender.value,
        "sender_name": message.sender_name,
        "text": texts.system_text(message) if system else message.text,
        "sent_at": message.sent_at.isoformat(),
        "sent_text": formats.time_of_day(message.sent_at),
        "attachment": (
            {
                "id": attachment.id,
                "filename": attachment.filename,
                "size_text": formats.size(attachment.size_bytes),
            }
            if attachment
            else None
        ),
    }


def _outgoing_view(outgoing: Outgoing) -> dict:
    return {
        "key": outgoing.key,
        "text": outgoing.text,
        "filename": outgoing.filename,
        "error": outgoing.error.text() if outgoing.error else None,
    }
