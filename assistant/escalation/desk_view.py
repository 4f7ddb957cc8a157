"""What the live help page shows, built from the desk's state in the current language:
the connection, the server's limits, the conversations with their messages and those on
their way, the conversation to show, a consent question for the customer (worded for its
kind), what the customer shares now and with whom, and how the latest request for a report
went."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from assistant import formats
from assistant.escalation import appointment_view, screen_texts, share_view, texts
from assistant.escalation.session_view import session_view
from assistant.i18n import _
from isp_common.live_wire import OFFER_ENDED, MessageInfo, SystemEvent, Topic

if TYPE_CHECKING:
    from assistant.escalation.consent import Grant
    from assistant.escalation.desk import ConsentQuestion, LiveDesk, Outgoing
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
        "consent": _question_view(question, desk) if question else None,
        "grants": [_grant_view(grant) for grant in desk.grants()],
        "notice": _notice_view(desk.notice),
        "sharing": share_view.sharing_view(desk),
        "history": share_view.history_view(desk.history),
        "activity": _activity_view(desk),
        **_appointments_view(help),
    }


def _appointments_view(help: LiveHelp | None) -> dict:
    """The customer's appointments (the Experts tab and each conversation show them) and
    the notices every tab shows, in this computer's zone."""
    if help is None:
        return {"appointments": [], "notices": []}
    language = formats.language()
    board = help.appointments
    return {
        "appointments": [appointment_view.view(a, language) for a in board.appointments()],
        "notices": [appointment_view.notice_view(n, language) for n in board.notices()],
    }


def _notice_view(notice: dict | None) -> dict | None:
    if notice is None:
        return None
    who = texts.asker_text(notice["who"], notice["role"])
    return {"text": screen_texts.unavailable_text(notice["reason"], who)}


def _question_view(asked: ConsentQuestion, desk: LiveDesk) -> dict:
    """The one consent dialog, in the words of the request's kind."""
    question = asked.question
    who = texts.asker_text(question.requester_name, question.requester_role)
    view = share_view.choice_view(question, desk) if question.kind == "screen_view" else {}
    return view | {
        "id": asked.id,
        "kind": question.kind,
        "agent_name": question.requester_name,
        "title": texts.consent_text(question.kind, "title"),
        "intro": texts.consent_text(question.kind, "intro", who=who),
        "why": _("Why: %(reason)s") % {"reason": question.reason} if question.reason else None,
        "items_title": texts.consent_text(question.kind, "items"),
        "items": question.items,
        "note": texts.consent_text(question.kind, "note"),
        "until": texts.consent_text(question.kind, "until"),
        "allow": texts.consent_text(question.kind, "allow"),
    }


def _grant_view(grant: Grant) -> dict:
    question = grant.question
    return {
        "id": question.consent_id,
        "kind": question.kind,
        "what": texts.consent_text(question.kind, "shared"),
        "with": texts.asker_text(question.requester_name, question.requester_role),
        "since": _("since %(time)s") % {"time": formats.time_of_day(grant.granted_at)},
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
                "offer": open_offer(messages) if info.status.value == "active" else None,
                # The clock runs on between two meters only while connected (the server pauses a
                # session whose side is gone).
                "session": _session(help, info.id, now if help.channel.connected else 0.0),
                # The customer may ask the expert for a paid session (never the hotline).
                "can_propose": info.kind.value == "expert_prechat"
                and info.status.value != "closed"
                and _no_session_open(help, info.id),
                "sending": [
                    _outgoing_view(outgoing)
                    for outgoing in desk.outbox.values()
                    if outgoing.conversation_id == info.id and outgoing.key not in stored_keys
                ],
            }
        )
    return views


def _session(help: LiveHelp, conversation_id: int, now: float) -> dict | None:
    session = help.sessions.latest(conversation_id)
    if session is None:
        return None
    waiting = bool(help.sessions.waiting(session.session_id))
    return session_view(session, waiting=waiting, now=now)


def _no_session_open(help: LiveHelp, conversation_id: int) -> bool:
    session = help.sessions.latest(conversation_id)
    return session is None or session.status.value in ("ended", "cancelled")


def open_offer(messages: list[MessageInfo], now: datetime | None = None) -> dict | None:
    """The agent's offer of an expert that waits for the customer's answer: the latest
    `expert_offered` not yet ended (answered, withdrawn, expired) nor past its time."""
    ended = {message.params.get("offer_id") for message in messages if message.event in OFFER_ENDED}
    offered = [
        message
        for message in messages
        if message.event == SystemEvent.expert_offered
        and message.params.get("offer_id") not in ended
    ]
    if not offered:
        return None
    params = offered[-1].params
    try:
        expires_at = datetime.fromisoformat(str(params.get("expires_at")))
    except ValueError:
        expires_at = None
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= (now or datetime.now(UTC)):
            return None
    return {
        "id": int(params.get("offer_id", 0)),
        "expert_id": int(params.get("expert_id", 0)),
        "expert": str(params.get("expert", "")),
    }


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
