"""What the live-channel tests share: arranging customers, devices and staff in the test's
database; a real assistant (`LiveHelp`) on its own thread and event loop; a staff channel
client; a server that can be stopped and started again on the same port; and waiting for
something a user would see."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from sqlalchemy import func, select
from websockets.sync.client import connect as sync_connect

from agent_portal.app import create_app
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.auth.models import StaffMember
from agent_portal.chat import topics as chat_topics
from agent_portal.config import PortalSettings
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer, Device
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.web.language import LANGUAGE_COOKIE
from assistant.diagnostics import run_diagnostics
from assistant.escalation import Backoff, LiveHelp
from assistant.premium.device_keys import DeviceKey
from isp_common.live_wire import Topic
from tests.support.live_server import PromptServer
from tests.support.portal_data import new_portal_session

# Real checks that finish within a second anywhere (no network needed).
QUICK_CHECKS = ["computer.memory", "computer.storage", "computer.uptime"]


def wait_until(condition: Callable[[], object], timeout: float = 15, what: str = "") -> object:
    """Polls until `condition()` is truthy and returns it; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what or condition}")
        time.sleep(0.05)


@dataclass
class World:
    """The test's database, for arranging what exists and checking what was stored."""

    settings: PortalSettings
    key_dir: Path

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self.factory = make_session_factory(self.engine)

    def session(self):
        return self.factory()

    def customer(self, account: str = "K-100234", **fields) -> Customer:
        body = {"name": "Erika Mustermann", "email": "erika@example.de", **fields}
        with self.session() as db_session:
            customer = customers.save(
                db_session=db_session,
                account_number=account,
                customer_in=CustomerIn.model_validate(body),
                time_zone="Europe/Berlin",
            ).customer
            db_session.commit()
            return customer

    def device(self, customer: Customer, name: str = "Wohnzimmer-PC") -> tuple[Device, DeviceKey]:
        """A linked device with a real key pair, its id derived from the key (as linking
        does)."""
        key = DeviceKey.load_or_create(self.key_dir / f"{customer.account_number}-{name}")
        with self.session() as db_session:
            device = Device(
                id=key.device_id,
                customer_id=customer.id,
                name=name,
                platform="linux",
                public_key=key.public_key_base64(),
                linked_at=utcnow(),
            )
            db_session.add(device)
            db_session.commit()
        return device, key

    def staff(self, username: str, role: str = "agent", topics=(), name: str | None = None):
        """A staff member with a session (no password: these tests hand out sessions)."""
        with self.session() as db_session:
            member = StaffMember(
                username=username,
                display_name=name or username.split(".")[0].title(),
                role=role,
                password_hash="!unusable",
                created_at=utcnow(),
            )
            db_session.add(member)
            db_session.commit()
            if topics:
                chat_topics.set_topics(
                    db_session=db_session, staff=member, topics=[Topic(t) for t in topics]
                )
            token = new_portal_session(db_session, member).token
            member.token = token
            return member

    def count(self, model, *conditions) -> int:
        with self.session() as db_session:
            return db_session.scalar(select(func.count()).select_from(model).where(*conditions))

    def rows(self, model, *conditions, order=None) -> list:
        with self.session() as db_session:
            statement = select(model).where(*conditions)
            if order is not None:
                statement = statement.order_by(order)
            return list(db_session.scalars(statement))

    def close(self) -> None:
        self.engine.dispose()


async def quick_checks(_categories, _include_premium):
    return await run_diagnostics(check_ids=QUICK_CHECKS, language="en")


class Assistant:
    """The customer's side: a real `LiveHelp` on its own thread and event loop, as the
    desktop UI will hold it. Records what it was shown."""

    def __init__(
        self,
        server_url: str,
        key: DeviceKey,
        *,
        consent_answer=True,
        language="en",
        run_checks=quick_checks,
    ):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.consent_answer = consent_answer  # True, False, or "never" (no answer)
        self.consent_asked: list[tuple[str, list[str]]] = []
        self.diagnostics_outcomes: list[tuple[str, str]] = []
        self.states: list = []
        self.shown: list[tuple[int, object]] = []
        self.typing: list[tuple[int, bool]] = []
        self.connection_states: list[str] = []

        async def consent(question):
            self.consent_asked.append((question.requester_name, question.items))
            if self.consent_answer == "never":
                await asyncio.Event().wait()  # the customer walked away
            return self.consent_answer

        def make():
            return LiveHelp(
                server_url=server_url,
                device_key=key,
                consent=consent,
                on_message=lambda cid, message: self.shown.append((cid, message)),
                on_state=self.states.append,
                on_typing=lambda cid, typing: self.typing.append((cid, typing)),
                on_connection=self.connection_states.append,
                on_consent_done=lambda question, outcome: self.diagnostics_outcomes.append(
                    (question.consent_id, outcome)
                ),
                run_checks=run_checks,
                language=language,
                backoff=Backoff(initial=0.1, maximum=0.5),
                retry_seconds=1.0,
            )

        self.help: LiveHelp = self.call(self._create(make))

    @staticmethod
    async def _create(make):
        return make()

    def call(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self, wait: bool = True) -> bool:
        return self.call(self.help.start(wait_seconds=10 if wait else None))

    def messages(self, conversation_id: int):
        return self.help.messages(conversation_id)

    def stop(self) -> None:
        """Quits the assistant (closing its channel); a second call does nothing."""
        if not self.thread.is_alive():
            return
        try:
            self.call(self.help.stop(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


class StaffClient:
    """A staff channel client (what the portal's script speaks), over a real WebSocket.
    Binary frames it reads on the way are kept, in order, in `binary`."""

    def __init__(self, base_url: str, token: str, language: str | None = None) -> None:
        host = base_url.removeprefix("http://")
        cookie = f"{SESSION_COOKIE}={token}"
        if language:  # the language the portal remembers for the tab's browser
            cookie += f"; {LANGUAGE_COOKIE}={language}"
        self._exits = ExitStack()
        self.socket = self._exits.enter_context(
            sync_connect(
                f"ws://{host}/ws/staff",
                additional_headers={"Cookie": cookie, "Origin": base_url},
            )
        )
        self.frames: list[dict] = []
        self.binary: list[bytes] = []

    def send(self, frame: dict | bytes) -> None:
        self.socket.send(frame if isinstance(frame, bytes) else json.dumps(frame))

    def next_binary(self, timeout: float = 10) -> bytes:
        """The next binary frame, keeping the JSON frames read on the way in `frames`."""
        deadline = time.monotonic() + timeout
        while not self.binary:
            raw = self.socket.recv(timeout=max(0.01, deadline - time.monotonic()))
            if isinstance(raw, bytes):
                self.binary.append(raw)
            else:
                self.frames.append(json.loads(raw))
        return self.binary.pop(0)

    def next(self, frame_type: str, timeout: float = 10, **match) -> dict:
        """The next frame of that type (with those values), reading on as needed."""
        deadline = time.monotonic() + timeout
        for frame in self.frames:
            if frame["type"] == frame_type and all(frame.get(k) == v for k, v in match.items()):
                self.frames.remove(frame)
                return frame
        while time.monotonic() < deadline:
            try:
                raw = self.socket.recv(timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            if isinstance(raw, bytes):
                self.binary.append(raw)
                continue
            frame = json.loads(raw)
            if frame["type"] == frame_type and all(frame.get(k) == v for k, v in match.items()):
                return frame
            self.frames.append(frame)
        raise AssertionError(f"no {frame_type} {match} within {timeout} s; got {self.frames}")

    def close(self) -> None:
        self._exits.close()


@dataclass
class RestartableServer:
    """The portal on a fixed loopback port, stopped and started again like a real restart
    (a new application on the same database)."""

    settings: PortalSettings
    port: int = 0
    server: PromptServer | None = None
    thread: threading.Thread | None = None
    app: object = None
    apps: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RestartableServer:
        self.app = create_app(self.settings)
        self.apps.append(self.app)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            ws_per_message_deflate=False,  # as `agent-portal serve` runs it
        )
        self.server = PromptServer(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_until(lambda: self.server.started or not self.thread.is_alive(), 20, "server start")
        assert self.server.started, "the server did not start"
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self.server.request_exit()
        self.thread.join(timeout=15)
        self.app.state.engine.dispose()


def queue_conversations(world: World, customer, device, count: int) -> list[int]:
    """Conversations waiting in the queue, as if they came while no agent was free."""
    from agent_portal.chat import service as chat_service

    with world.session() as db_session:
        waiting = [
            chat_service.start_conversation(
                db_session=db_session,
                customer_id=customer.id,
                device_id=device.id,
                topic=Topic.wifi,
                client_msg_id=f"waiting-{number}-{time.monotonic_ns()}",
                text=f"Question {number}",
                now=utcnow(),
            ).conversation.id
            for number in range(count)
        ]
        db_session.commit()
        return waiting


def assignments(world: World) -> dict[int, int]:
    """Conversation → how many "assigned" messages it was sent."""
    from agent_portal.chat.models import ChatMessage

    with world.session() as db_session:
        rows = db_session.execute(
            select(ChatMessage.conversation_id, func.count())
            .where(ChatMessage.sender == "system", ChatMessage.event == "assigned")
            .group_by(ChatMessage.conversation_id)
        )
        return dict(rows.all())
