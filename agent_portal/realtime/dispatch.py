"""The one door of every socket message: `dispatch` parses a JSON frame, `dispatch_binary`
reads a binary frame's header (never its payload); each checks the access rule the kind
declares, and only then hands the message to the handler.

Every message kind a domain registers (`realtime.registry`: each domain's
`live_kinds.register`) is a `MessageKind`: its handler with its `MessageRule`, declared
beside the handler the way an HTTP route declares `require_staff(...)`:

    staff_kind(on_activity)                                      every staff member
    staff_kind(agent_fetch, roles=CHAT_ROLES, relation=SEES)     those roles, and a relation
    device_kind(chat_list)                                       any linked device (the
                                                                 handler acts on its customer)
    device_kind(chat_fetch, relation=OWN_CONVERSATION)           a device, and a relation
    device_binary_kind("relay.data", forward, relation=SENDS_ON_OPEN_STREAM)
                                                                 a binary kind (by its code)

A `Relation` checks how the sender relates to what the message names (a conversation, a
diagnostics request: in the database; a relay stream: on the socket itself) and raises
the refusal, a LiveError. A relation that cannot end while the socket lives (a
conversation of the device's own customer) is remembered for the connection once granted,
so the hot path of a chat pays for it once.

A refusal goes back as an error frame (code `forbidden`, or the relation's own code) and
the handler does not run; a kind without a rule for this channel is refused the same way.
Any `PortalError` a handler raises goes back as an error frame too, worded in the socket's
language (`session.language`): `_error_frame` is the one place that makes them.
`tests/agent_portal/auth/test_message_rules.py` sends every registered kind as every kind of sender.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from agent_portal.errors import PortalError
from agent_portal.realtime.errors import N_, AccessRefused, HandlerFailed
from isp_common.binary_frames import BinaryFrameError, FrameHeader, decode_header
from isp_common.live_wire import ErrorMessage

log = logging.getLogger(__name__)

Sender = Literal["staff", "device"]
Handler = Callable[[Any, Any], Awaitable[None]]
# More lasting grants than this on one socket and it starts remembering afresh.
GRANTS_REMEMBERED = 10_000


@dataclass(frozen=True)
class Relation:
    """How the sender must relate to what a message names. `check(db_session=, sender=,
    message=)` raises the refusal. `lasting`, when given, names the granted thing
    (`lasting(message)`) for a relation that holds for the rest of the connection.
    `on_socket`: checked against what the socket itself holds, on the event loop, without
    the database: `check(session=, message=)`."""

    name: str
    check: Callable[..., None]
    lasting: Callable[[Any], Hashable] | None = None
    on_socket: bool = False


@dataclass(frozen=True)
class MessageRule:
    sender: Sender
    # Staff: the roles that may send the kind; empty means every staff member.
    roles: frozenset[str] = frozenset()
    relation: Relation | None = None

    def allows_role(self, role: str | None) -> bool:
        return not self.roles or role in self.roles

    def __str__(self) -> str:
        who = f"{self.sender} ({', '.join(sorted(self.roles))})" if self.roles else self.sender
        return f"{who} + {self.relation.name}" if self.relation else who


@dataclass(frozen=True)
class MessageKind:
    handler: Handler
    rule: MessageRule


@dataclass(frozen=True)
class BinaryKind(MessageKind):
    """A kind of binary frame, registered by its code (`isp_common.binary_frames`); its
    `name` stands for it in error frames and logs."""

    name: str


@dataclass(frozen=True)
class BinaryMessage:
    """A binary frame as the dispatcher hands it on: its header read, its bytes unread."""

    type: str  # the kind's name
    header: FrameHeader
    data: bytes

    @property
    def stream_id(self) -> int:
        return self.header.stream_id

    @property
    def seq(self) -> int:
        return self.header.seq


def staff_kind(
    handler: Handler, *, roles: tuple[str, ...] = (), relation: Relation | None = None
) -> MessageKind:
    return MessageKind(handler, MessageRule("staff", frozenset(roles), relation))


def device_kind(handler: Handler, *, relation: Relation | None = None) -> MessageKind:
    return MessageKind(handler, MessageRule("device", relation=relation))


def staff_binary_kind(
    name: str, handler: Handler, *, roles: tuple[str, ...] = (), relation: Relation | None = None
) -> BinaryKind:
    return BinaryKind(handler, MessageRule("staff", frozenset(roles), relation), name)


def device_binary_kind(
    name: str, handler: Handler, *, relation: Relation | None = None
) -> BinaryKind:
    return BinaryKind(handler, MessageRule("device", relation=relation), name)


async def authorize(session, kind: MessageKind, message) -> None:
    """Raises the refusal unless the session's sender may send `message`. The session
    says which channel it is (`SENDER`), who sent (`sender`: the staff member or the
    device) and keeps the lasting grants (`grants`)."""
    rule = getattr(kind, "rule", None)
    if not isinstance(rule, MessageRule) or rule.sender != session.SENDER:
        raise AccessRefused(N_("%(kind)s has no access rule on this channel."), kind=message.type)
    if not rule.allows_role(getattr(session.sender, "role", None)):
        allowed = ", ".join(sorted(rule.roles))
        raise AccessRefused(
            N_("Your role may not send %(kind)s; it is for: %(roles)s."),
            kind=message.type,
            roles=allowed,
        )
    relation = rule.relation
    if relation is None:
        return
    if relation.on_socket:
        relation.check(session=session, message=message)
        return
    grant = (relation.name, relation.lasting(message)) if relation.lasting else None
    if grant is not None and grant in session.grants:
        return
    await session.live.run_db(relation.check, sender=session.sender, message=message)
    if grant is not None:
        _remember(session, grant)


def remember_grant(session, relation: Relation, key: Hashable) -> None:
    """For a handler that has just shown the sender holds a lasting relation (a device
    started or listed its customer's conversations): the later frames skip the check."""
    if relation.lasting is not None:
        _remember(session, (relation.name, key))


def _remember(session, grant: tuple) -> None:
    if len(session.grants) >= GRANTS_REMEMBERED:
        session.grants.clear()
    session.grants.add(grant)


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def _error_frame(session, error: PortalError, message) -> ErrorMessage:
    """The one place a refusal becomes an error frame: worded in the socket's language,
    naming what it answers (a command's `command_id` goes back as the `request_id`)."""
    return ErrorMessage(
        code=str(error.code),
        message=error.in_language(session.language),
        request_id=getattr(error, "request_id", None)
        or getattr(message, "request_id", None)
        or getattr(message, "command_id", None),
        client_msg_id=getattr(error, "client_msg_id", None)
        or getattr(message, "client_msg_id", None),
        conversation_id=getattr(error, "conversation_id", None)
        or getattr(message, "conversation_id", None),
        stream_id=getattr(message, "stream_id", None),
        seq=getattr(message, "seq", None),
    )


async def dispatch(session, raw: str, kinds: dict[str, MessageKind], adapter: TypeAdapter) -> None:
    """Parses one frame, checks its rule and hands it to its handler; problems and
    refusals go back as error frames."""
    try:
        message = adapter.validate_json(raw)
    except ValidationError as error:
        reply = ErrorMessage(code="invalid_message", message=f"Not understood: {_problems(error)}")
        session.reply(reply)
        return
    kind = kinds.get(message.type)
    if kind is None:
        session.reply(ErrorMessage(code="unsupported", message=f"No handler for {message.type}."))
        return
    await _handle(session, kind, message)


async def dispatch_binary(session, data: bytes, kinds: dict[int, BinaryKind]) -> None:
    """Reads one binary frame's header, checks its kind's rule and hands the frame, unread,
    to its handler; a malformed or oversized frame and a refusal go back as error frames."""
    try:
        header = decode_header(data)
    except BinaryFrameError as error:
        session.reply(ErrorMessage(code=error.code, message=str(error)))
        return
    kind = kinds.get(header.kind)
    if kind is None:
        session.reply(
            ErrorMessage(
                code="unsupported",
                message=f"No binary kind {header.kind} on this channel.",
                stream_id=header.stream_id,
                seq=header.seq,
            )
        )
        return
    await _handle(session, kind, BinaryMessage(kind.name, header, data))


async def _handle(session, kind: MessageKind, message) -> None:
    try:
        await authorize(session, kind, message)
    except PortalError as refused:
        log.warning(
            "%s %s refused %s: %s", session.SENDER, session.sender.id, message.type, refused
        )
        session.reply(_error_frame(session, refused, message))
        return
    except Exception:
        _failed(session, message)
        return
    try:
        await kind.handler(session, message)
    except PortalError as error:
        session.reply(_error_frame(session, error, message))
    except Exception:
        _failed(session, message)


def _failed(session, message) -> None:
    """An unexpected failure: logged with its traceback, and answered like a refusal (a
    command's id comes back), so the sender knows which of its messages to send again."""
    log.exception("handling %s failed", message.type)
    session.reply(_error_frame(session, HandlerFailed(), message))
