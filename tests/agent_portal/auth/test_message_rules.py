"""Access rules of every message kind of both sockets, read from the portal's own registry
(`LiveServices.staff_handlers` and `.device_handlers`) and sent over real WebSockets to a
uvicorn-served portal by every kind of sender: an admin, the conversation's agent, another
agent and an expert on `/ws/staff`; the customer's device and another customer's device on
`/ws/device`. Each sender gets what the kind's rule says. A kind without a rule, a frame
type the channel parses but does not register, or a kind this file has no sample frame
for fails here. Binary kinds too: their sample frames go on the relay streams open from the
customer's device to the conversation's agent and back."""

from __future__ import annotations

import json
import typing
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from websockets.sync.client import connect

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat_service
from agent_portal.consent import service as consent
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.escalation import service as escalation
from agent_portal.expert_desk import service as desk
from agent_portal.experts.models import ExpertProfile
from agent_portal.paid_sessions import service as paid_sessions
from agent_portal.realtime.dispatch import BinaryKind, MessageKind, MessageRule
from agent_portal.realtime.models import LiveConnection
from agent_portal.realtime.relay import RELAY_DATA, open_stream
from agent_portal.realtime.schemas import StaffMessage
from agent_portal.remote_diagnostics import service as diagnostics
from agent_portal.screen_sharing import service as screen_sharing
from isp_common.binary_frames import BinaryFrame, encode, stream_id_of
from isp_common.live_wire import DeviceMessage, Topic
from isp_common.screen_wire import SCREEN_UPDATE
from tests.agent_portal.expert_desk.support import approved_expert
from tests.agent_portal.realtime.test_device_channel import hello_with
from tests.agent_portal.remote_diagnostics.test_diagnostics_channel import minimal_report
from tests.support.live import StaffClient, World
from tests.support.relay import on_server

STAFF_SENDERS = {  # name → role
    "admin": "admin",
    "the conversation's agent": "agent",
    "another agent": "agent",
    "an expert": "expert",
}
PRECHAT_EXPERT = "expert.prechat"
# The expert of the customer's pre-chat with a paid session in it (no tab open either).
PAID_EXPERT = "expert.paid"
DEVICE_SENDERS = ("the customer's device", "another customer's device")
# The test's own statement of each relation: who of the senders above has it to the
# conversation (of the customer, given to "the conversation's agent"), the diagnostics
# request (made to the customer's device) or the paid session (of the customer) that a
# frame names, and what the others are told.
RELATED = {
    "sees the conversation": {"admin", "the conversation's agent"},
    "writes in the conversation": {"admin", "the conversation's agent"},
    "own customer's conversation": {"the customer's device"},
    "own diagnostics request": {"the customer's device"},
    "own consent request": {"the customer's device"},
    "own offer of an expert": {"the customer's device"},
    "own paid session": {"the customer's device"},
    # Relay streams are open from the customer's device to the agent, and back.
    "sends on its open stream": {"the customer's device", "the conversation's agent"},
    # The screen view (and its control) the conversation's agent asked for and the customer
    # granted, on the customer's device.
    "asked for the granted screen view": {"the conversation's agent"},
    "controls the screen view": {"the conversation's agent"},
    "own granted screen view": {"the customer's device"},
}
REFUSAL_CODES = {
    "sees the conversation": "forbidden",
    "writes in the conversation": "forbidden",
    # Another customer's conversation or request is answered like one that does not exist.
    "own customer's conversation": "not_found",
    "own diagnostics request": "not_found",
    "own consent request": "not_found",
    "own offer of an expert": "offer_not_found",
    "own paid session": "session_not_found",
    "sends on its open stream": "stream_not_open",
    "asked for the granted screen view": "forbidden",
    "controls the screen view": "forbidden",
    "own granted screen view": "not_found",
}
# Whatever the rules say: none of these has any relation to the customer's conversations,
# the requests to the customer's device or the customer's paid sessions, so each frame that
# names one must refuse them.
UNRELATED = {"another agent", "an expert", "another customer's device"}
# Sent to every tab whatever it asked: not an answer to any frame.
BROADCASTS = {"presence", "inbox.changed", "consent.updated", "screen.status"}


@dataclass(frozen=True)
class Target:
    """What a sample frame names, made afresh for each kind."""

    conversation_id: int
    attachment_id: int
    pending_request_id: str
    allowed_request_id: str
    streams: dict[str, int] = field(default_factory=dict)  # socket → its relay stream
    # An expert any customer may start a pre-chat with (no tab open: none of the senders,
    # whose sockets would hear of the pre-chats the samples start).
    expert_id: int = 0
    # The agent's offer of that expert in the conversation, waiting for the answer.
    offer_id: int = 0
    # The customer's pre-chat with the paid expert, and the paid session in it, at the
    # stage its kind's sample needs (`PAID_STAGES`; none: no session).
    prechat_id: int = 0
    session_id: int = 0
    # A screen view the agent asked for in the conversation, granted, with granted control.
    view_id: str = ""


# The stage of the customer's paid session at which each command is legal. A proposal
# needs a pre-chat without an open session.
PAID_STAGES = {
    "session.confirm": "proposed",
    "session.decline": "proposed",
    "session.pause": "running",
    "session.raise": "running",
    "session.end": "running",
    "session.resume": "paused",
    "session.tip": "ended",
}
# The maximum the customer holds for a session confirmed to arrange a stage.
PAID_MAXIMUM = 3000


def _new_id() -> str:
    return uuid.uuid4().hex


SAMPLE_FRAMES: dict[str, Callable[[Target], dict]] = {
    "ping": lambda t: {"type": "ping"},
    "activity": lambda t: {"type": "activity"},
    "watch": lambda t: {"type": "watch", "conversation_id": t.conversation_id},
    "chat.start": lambda t: {
        "type": "chat.start",
        "request_id": _new_id(),
        "topic": "wifi",
        "client_msg_id": _new_id(),
        "text": "Another question.",
    },
    "prechat.start": lambda t: {
        "type": "prechat.start",
        "request_id": _new_id(),
        "expert_id": t.expert_id,
        "client_msg_id": _new_id(),
        "text": "Can you help with my NAS?",
    },
    "chat.list": lambda t: {"type": "chat.list", "request_id": _new_id()},
    "chat.send": lambda t: {
        "type": "chat.send",
        "conversation_id": t.conversation_id,
        "client_msg_id": _new_id(),
        "text": "Hello.",
    },
    "chat.fetch": lambda t: {"type": "chat.fetch", "conversation_id": t.conversation_id},
    "chat.typing": lambda t: {
        "type": "chat.typing",
        "conversation_id": t.conversation_id,
        "typing": True,
    },
    "chat.close": lambda t: {"type": "chat.close", "conversation_id": t.conversation_id},
    "chat.attachment.get": lambda t: {
        "type": "chat.attachment.get",
        "request_id": _new_id(),
        "conversation_id": t.conversation_id,
        "attachment_id": t.attachment_id,
    },
    "diagnostics.report": lambda t: {
        "type": "diagnostics.report",
        "request_id": t.allowed_request_id,
        "report": minimal_report(),
    },
    # A diagnostics request is a consent of the kind report, answered and revoked with the
    # frames of every kind.
    "consent.answer": lambda t: {
        "type": "consent.answer",
        "consent_id": t.pending_request_id,
        "granted": True,
    },
    "offer.answer": lambda t: {"type": "offer.answer", "offer_id": t.offer_id, "accepted": True},
    "consent.revoke": lambda t: {"type": "consent.revoke", "consent_id": t.allowed_request_id},
    "session.propose": lambda t: {
        "type": "session.propose",
        "command_id": _new_id(),
        "conversation_id": t.prechat_id,
    },
    "session.confirm": lambda t: {
        "type": "session.confirm",
        "command_id": _new_id(),
        "session_id": t.session_id,
        "maximum": PAID_MAXIMUM,
    },
    "session.decline": lambda t: {
        "type": "session.decline",
        "command_id": _new_id(),
        "session_id": t.session_id,
    },
    "session.pause": lambda t: {
        "type": "session.pause",
        "command_id": _new_id(),
        "session_id": t.session_id,
    },
    "session.resume": lambda t: {
        "type": "session.resume",
        "command_id": _new_id(),
        "session_id": t.session_id,
    },
    "session.raise": lambda t: {
        "type": "session.raise",
        "command_id": _new_id(),
        "session_id": t.session_id,
        "amount": 500,
    },
    "session.end": lambda t: {
        "type": "session.end",
        "command_id": _new_id(),
        "session_id": t.session_id,
    },
    "session.tip": lambda t: {
        "type": "session.tip",
        "command_id": _new_id(),
        "session_id": t.session_id,
        "amount": 200,
    },
    "screen.pull": lambda t: {"type": "screen.pull", "consent_id": t.view_id, "keyframe": True},
    "screen.input": lambda t: {
        "type": "screen.input",
        "consent_id": t.view_id,
        "events": [{"kind": "pointer", "action": "click", "x": 10, "y": 20}],
    },
    "screen.status": lambda t: {
        "type": "screen.status",
        "consent_id": t.view_id,
        "state": "sharing",
    },
}


SAMPLE_BINARY_FRAMES: dict[str, Callable[[Target, str], bytes]] = {
    "relay.data": lambda t, channel: encode(
        BinaryFrame(RELAY_DATA, t.streams[channel], 1, b"\x00\xffsample")
    ),
    "screen.update": lambda t, channel: encode(
        BinaryFrame(SCREEN_UPDATE, t.streams[channel], 1, b"\x00\x00\x00\x01sample")
    ),
}


def frame_types(union) -> set[str]:
    """The `type` of every frame a channel's parser accepts."""
    members = typing.get_args(typing.get_args(union)[0])
    return {member.model_fields["type"].default for member in members}


def test_every_message_kind_declares_an_access_rule(portal_app):
    live = portal_app.state.live
    for channel, kinds, union in (
        ("staff", live.messages.staff, StaffMessage),
        ("device", live.messages.device, DeviceMessage),
    ):
        assert set(kinds) == frame_types(union), (
            f"/ws/{channel}: every frame type it parses must be registered with a handler "
            "and its rule"
        )
        undeclared = [
            kind
            for kind, registered in kinds.items()
            if not isinstance(registered, MessageKind)
            or not isinstance(registered.rule, MessageRule)
            or registered.rule.sender != channel
        ]
        assert undeclared == [], f"/ws/{channel} kinds without a {channel} rule: {undeclared}"
        unknown = [
            f"{kind}: {registered.rule.relation.name}"
            for kind, registered in kinds.items()
            if registered.rule.relation and registered.rule.relation.name not in RELATED
        ]
        assert unknown == [], f"say in RELATED of {__name__} who has these relations: {unknown}"
        missing = [kind for kind in kinds if kind not in SAMPLE_FRAMES]
        assert missing == [], f"add a sample frame to SAMPLE_FRAMES of {__name__}: {missing}"


def test_every_binary_kind_declares_an_access_rule(portal_app):
    live = portal_app.state.live
    for channel, kinds in (
        ("staff", live.messages.staff_binary),
        ("device", live.messages.device_binary),
    ):
        assert kinds, f"/ws/{channel} takes binary frames: at least the relay's"
        undeclared = [
            code
            for code, registered in kinds.items()
            if not isinstance(registered, BinaryKind)
            or not isinstance(registered.rule, MessageRule)
            or registered.rule.sender != channel
        ]
        assert undeclared == [], f"/ws/{channel} binary kinds without a rule: {undeclared}"
        unknown = [
            f"{registered.name}: {registered.rule.relation.name}"
            for registered in kinds.values()
            if registered.rule.relation and registered.rule.relation.name not in RELATED
        ]
        assert unknown == [], f"say in RELATED of {__name__} who has these relations: {unknown}"
        missing = [kind.name for kind in kinds.values() if kind.name not in SAMPLE_BINARY_FRAMES]
        assert missing == [], f"add a sample to SAMPLE_BINARY_FRAMES of {__name__}: {missing}"


def names_target(frame: dict | bytes, target: Target) -> bool:
    if isinstance(frame, bytes):
        return stream_id_of(frame) in target.streams.values()
    named = {frame.get("conversation_id"), frame.get("request_id"), frame.get("consent_id")}
    if frame.get("offer_id") == target.offer_id:
        return True
    if target.session_id and frame.get("session_id") == target.session_id:
        return True
    return bool(
        named
        & {
            target.conversation_id,
            target.prechat_id,
            target.pending_request_id,
            target.allowed_request_id,
            target.pending_request_id,
            target.allowed_request_id,
            target.view_id,
        }
    )


def expected_outcome(rule: MessageRule, sender: str, role: str | None) -> str:
    if not rule.allows_role(role):
        return "forbidden"
    relation = rule.relation
    if relation is not None and sender not in RELATED[relation.name]:
        return REFUSAL_CODES[relation.name]
    return "allowed"


class DeviceClient:
    """A device channel, signed in with the device's key, that reads every frame."""

    def __init__(self, base_url: str, key) -> None:
        self._exits = ExitStack()
        url = base_url.replace("http://", "ws://") + "/ws/device"
        self.socket = self._exits.enter_context(connect(url))
        welcome = hello_with(self.socket, key)
        assert welcome["type"] == "welcome"
        self.connection_id = welcome["connection_id"]

    def send(self, frame: dict | bytes) -> None:
        self.socket.send(frame if isinstance(frame, bytes) else json.dumps(frame))

    def until_pong(self) -> list[dict]:
        """The JSON frames before the pong (binary frames relayed to it are not answers)."""
        frames = []
        while True:
            raw = self.socket.recv(timeout=15)
            if isinstance(raw, bytes):
                continue
            if (frame := json.loads(raw))["type"] == "pong":
                return frames
            frames.append(frame)

    def close(self) -> None:
        self._exits.close()


def answer(client: StaffClient | DeviceClient, frame: dict | bytes) -> list[dict]:
    """What the sender is told after `frame`: a channel handles its frames in order, so
    everything said about it comes before the pong of a ping sent after it."""
    if isinstance(client, StaffClient):
        client.frames.clear()
    client.send(frame)
    if isinstance(frame, bytes) or frame["type"] != "ping":
        client.send({"type": "ping"})
    if isinstance(client, DeviceClient):
        return client.until_pong()
    client.next("pong", timeout=15)
    frames, client.frames[:] = list(client.frames), []
    return frames


def outcome(frames: list[dict]) -> str:
    """ "allowed" when the frame got no refusal, else the code it was refused with; a refusal
    must come alone, with nothing of what was asked for."""
    answers = [frame for frame in frames if frame["type"] not in BROADCASTS]
    errors = [frame for frame in answers if frame["type"] == "error"]
    if not errors:
        return "allowed"
    if len(answers) != 1:
        return f"refused but also answered: {answers}"
    return errors[0]["code"]


@pytest.fixture
def world(settings, tmp_path):
    world = World(settings, tmp_path / "device-keys")
    yield world
    world.close()


@pytest.fixture
def senders(portal, world):
    customer = world.customer("K-100234", name="Erika Mustermann")
    device, key = world.device(customer)
    other = world.customer("K-300001", name="Max Mustermann")
    _other_device, other_key = world.device(other)
    members = {
        name: world.staff(f"{role}.{number}", role=role)
        for number, (name, role) in enumerate(STAFF_SENDERS.items())
    }
    approved_expert(world, PRECHAT_EXPERT, "Eva Experte")
    approved_expert(world, PAID_EXPERT, "Paul Experte")
    clients = {name: StaffClient(portal.url, member.token) for name, member in members.items()}
    clients["the customer's device"] = DeviceClient(portal.url, key)
    clients["another customer's device"] = DeviceClient(portal.url, other_key)
    yield clients, members, customer, device
    for client in clients.values():
        client.close()


def _expert_id(db_session, username: str) -> int:
    return db_session.scalar(
        select(ExpertProfile.id)
        .join(StaffMember, StaffMember.id == ExpertProfile.staff_id)
        .where(StaffMember.username == username)
    )


def arrange(
    world: World, customer, device: Device, agent: StaffMember, stage: str | None = None
) -> Target:
    """A live chat of the customer with `agent`, with a file in it, two diagnostics
    requests to the customer's device (one waiting for the answer, one allowed), the
    agent's offer of an expert, and the customer's pre-chat with the paid expert: with a
    paid session at `stage` in it, the customer's commands bringing it there."""
    now = utcnow()
    with world.session() as db_session:
        conversation = chat_service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            topic=Topic.wifi,
            client_msg_id=_new_id(),
            text="My Wi-Fi drops every evening.",
            now=now,
        ).conversation
        member = db_session.get(StaffMember, agent.id)
        routing.assign(db_session=db_session, conversation=conversation, agent=member, now=now)
        with_file = chat_service.add_message(
            db_session=db_session,
            conversation=conversation,
            sender="customer",
            now=now,
            client_msg_id=_new_id(),
            attachment=chat_service.NewAttachment(
                "router.png", "image/png", b"\x89PNG" + b"r" * 20
            ),
        )
        requests = []
        for allowed in (False, True):
            request = diagnostics.create_request(
                db_session=db_session,
                device=db_session.get(Device, device.id),
                staff=member,
                now=now,
                timeout=timedelta(minutes=5),
            )
            if allowed:
                consent.answer(
                    db_session=db_session,
                    consent_id=request.id,
                    device_id=device.id,
                    granted=True,
                    now=now,
                )
            requests.append(request.id)
        expert_id = _expert_id(db_session, PRECHAT_EXPERT)
        offer = escalation.offer_expert(
            db_session=db_session,
            conversation=conversation,
            agent=member,
            expert_id=expert_id,
            note="",
            now=now,
            expires_after=timedelta(minutes=10),
        ).offer
        prechat = desk.start_prechat(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            expert_id=_expert_id(db_session, PAID_EXPERT),
            client_msg_id=_new_id(),
            text="Mein NAS sichert nicht mehr.",
            now=now,
            away_after=timedelta(minutes=5),
        ).conversation
        session_id = 0
        if stage is not None:
            as_customer = paid_sessions.Sender("customer", customer.id, customer.name)
            config = paid_sessions.Config.of(world.settings)

            def command(name: str, **values) -> int:
                return getattr(paid_sessions, name)(
                    db_session=db_session,
                    sender=as_customer,
                    command_id=_new_id(),
                    now=now,
                    config=config,
                    **values,
                ).session.id

            session_id = command("propose", conversation_id=prechat.id)
            if stage != "proposed":
                command("confirm", session_id=session_id, maximum=PAID_MAXIMUM)
            if stage in ("paused", "ended"):
                command("pause" if stage == "paused" else "end", session_id=session_id)
        view = consent.ask(
            db_session=db_session,
            kind="screen_view",
            device=db_session.get(Device, device.id),
            staff=member,
            now=now,
            answer_within=timedelta(minutes=5),
            lasts=None,
        )
        screen_sharing.record_view(
            db_session=db_session, consent=view, conversation_id=conversation.id
        )
        consent.answer(
            db_session=db_session,
            consent_id=view.id,
            device_id=device.id,
            granted=True,
            choice="screen",
            now=now,
        )
        control = consent.ask(
            db_session=db_session,
            kind="control",
            device=db_session.get(Device, device.id),
            staff=member,
            now=now,
            answer_within=timedelta(minutes=5),
            lasts=None,
            parent_id=view.id,
        )
        consent.answer(
            db_session=db_session, consent_id=control.id, device_id=device.id, granted=True, now=now
        )
        db_session.commit()
        return Target(
            conversation.id,
            with_file.message.attachment.id,
            *requests,
            expert_id=expert_id,
            offer_id=offer.id,
            prechat_id=prechat.id,
            session_id=session_id,
            view_id=view.id,
        )


def open_streams(portal_app, world, clients, agent, target: Target) -> Target:
    """A relay stream from the customer's device to the agent's tab, and one back; each
    end has heard of both."""
    device = clients["the customer's device"]
    (tab,) = world.rows(LiveConnection, LiveConnection.staff_id == agent.id)
    to_agent = on_server(
        portal_app,
        open_stream,
        sender=device.connection_id,
        to_staff=agent.id,
        kinds=[RELAY_DATA, SCREEN_UPDATE],
    )
    to_device = on_server(
        portal_app, open_stream, sender=tab.id, to_connection=device.connection_id
    )
    for name in ("the customer's device", "the conversation's agent"):
        answer(clients[name], {"type": "ping"})
    return replace(target, streams={"device": to_agent.id, "staff": to_device.id})


@pytest.mark.slow  # every message kind from every kind of sender
def test_every_message_kind_answers_every_sender_by_its_rule(portal_app, world, senders):
    clients, members, customer, device = senders
    messages = portal_app.state.live.messages
    wrong = []
    for channel, kinds, names in (
        ("staff", messages.staff, list(STAFF_SENDERS)),
        ("device", messages.device, list(DEVICE_SENDERS)),
        ("staff", messages.staff_binary, list(STAFF_SENDERS)),
        ("device", messages.device_binary, list(DEVICE_SENDERS)),
    ):
        for kind, registered in kinds.items():
            if not isinstance(getattr(registered, "rule", None), MessageRule):
                wrong.append(f"/ws/{channel} {kind} has no access rule")
                continue
            agent = members["the conversation's agent"]
            target = arrange(world, customer, device, agent, PAID_STAGES.get(kind))
            binary = isinstance(registered, BinaryKind)
            if binary:
                target = open_streams(portal_app, world, clients, agent, target)
            # Those refused first: an allowed frame may change the target (chat.close).
            cells = [
                (name, expected_outcome(registered.rule, name, STAFF_SENDERS.get(name)))
                for name in names
            ]
            for name, expected in sorted(cells, key=lambda cell: cell[1] == "allowed"):
                if binary:
                    kind = registered.name
                    frame = SAMPLE_BINARY_FRAMES[kind](target, channel)
                else:
                    frame = SAMPLE_FRAMES[kind](target)
                if expected == "allowed" and name in UNRELATED and names_target(frame, target):
                    wrong.append(f"/ws/{channel} {kind}: its rule lets {name} reach what it names")
                got = outcome(answer(clients[name], frame))
                if got != expected:
                    wrong.append(f"/ws/{channel} {kind} as {name}: expected {expected}, got {got}")
    assert wrong == [], "\n".join(wrong)
