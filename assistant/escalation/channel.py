"""The assistant's one WebSocket to the server (protocol: `isp_common.live_wire`).

    channel = DeviceChannel(server_url="https://portal.example-isp.de", device_key=key)
    channel.on("chat.message", handler)        # handler(frame), plain or async
    channel.on_binary(RELAY_DATA, handler)     # handler(BinaryFrame) of that kind
    channel.on_connected(resume)               # after every (re)connect and hello
    task = asyncio.create_task(channel.run())  # connects, and reconnects by itself
    await channel.send(frame)                  # False while disconnected
    await channel.send_binary(BinaryFrame(kind, stream_id, seq, payload))   # the same
    await channel.send_encoded(data)           # a binary frame encoded already
    await channel.close()

Binary frames (`isp_common.binary_frames`) travel on relay streams the server opens
(`relay.opened` says which id, in which direction); the server refuses others with an
error frame that names the stream and sequence number.

It answers the server's challenge by signing it with the device key. When the connection
drops it waits (0.5 s, 1 s, 2 s … up to 30 s, with jitter) and connects again; the chat
and diagnostics clients resume in their `on_connected` callbacks. A refusal of the key
(unlinked computer, wrong key) ends `run()`: trying again cannot help.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from assistant.escalation.errors import ChannelRefused
from isp_common.binary_frames import BinaryFrame, BinaryFrameError, decode, encode
from isp_common.live_wire import (
    CLOSE_REPLACED,
    DEVICE_CHANNEL_PATH,
    Challenge,
    Hello,
    Limits,
    Welcome,
    b64decode,
    b64encode,
    challenge_payload,
    server_message,
)

log = logging.getLogger(__name__)
MAX_FRAME_BYTES = 16 * 1024 * 1024
HANDSHAKE_TIMEOUT_SECONDS = 15
PERMANENT_REFUSALS = {"unknown_device", "bad_signature"}


def channel_url(server_url: str) -> str:
    base = server_url.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://") :]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://") :]
    return base + DEVICE_CHANNEL_PATH


@dataclass
class Backoff:
    """Waits between reconnects: doubling from `initial` up to `maximum`, each wait drawn
    between half and all of it, so many assistants do not return in step."""

    initial: float = 0.5
    maximum: float = 30.0
    random: Callable[[], float] = field(default=random.random)
    attempts: int = 0

    def next_delay(self) -> float:
        delay = min(self.maximum, self.initial * 2**self.attempts)
        self.attempts += 1
        return delay * (0.5 + self.random() / 2)

    def reset(self) -> None:
        self.attempts = 0


class DeviceChannel:
    def __init__(
        self,
        *,
        server_url: str,
        device_key,
        language: str | None = None,
        backoff: Backoff | None = None,
        connect=ws_connect,
    ) -> None:
        self.url = channel_url(server_url)
        self.device_key = device_key  # anything with device_id, public_key_base64(), sign()
        self.language = language
        self.backoff = backoff or Backoff()
        self._connect = connect
        self._handlers: dict[str, list[Callable]] = {}
        self._binary_handlers: dict[int, list[Callable]] = {}
        self._connected_callbacks: list[Callable] = []
        self._state_callbacks: list[Callable] = []
        self._socket = None
        self._closed = False
        self._connected = asyncio.Event()
        self.state = "disconnected"  # connecting | connected | disconnected | refused | closed
        self.refusal: ChannelRefused | None = None
        self.limits: Limits | None = None
        self.connection_id: str | None = None
        self.connections = 0  # how many times it has connected, for the UI and tests

    # --- wiring ----------------------------------------------------------------------

    def on(self, frame_type: str, handler: Callable) -> None:
        self._handlers.setdefault(frame_type, []).append(handler)

    def on_binary(self, kind: int, handler: Callable) -> None:
        """`handler(frame)` for each binary frame of that kind the server relays here."""
        self._binary_handlers.setdefault(kind, []).append(handler)

    def on_connected(self, callback: Callable) -> None:
        self._connected_callbacks.append(callback)

    def on_state(self, callback: Callable) -> None:
        """`callback(state)` whenever the state changes (for a status line in the UI)."""
        self._state_callbacks.append(callback)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def wait_connected(self, timeout: float | None = None) -> bool:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except TimeoutError:
            return False
        return True

    # --- sending ---------------------------------------------------------------------

    async def send(self, frame: BaseModel) -> bool:
        """Sends now; False when there is no connection (the caller keeps it to resend)."""
        return await self._send(frame.model_dump_json())

    async def send_binary(self, frame: BinaryFrame) -> bool:
        """Sends a binary frame now; False when there is no connection. BinaryFrameError,
        before anything is sent, for a frame that cannot be one (too large, say)."""
        return await self._send(encode(frame))

    async def send_encoded(self, data: bytes) -> bool:
        """Sends a binary frame encoded already (the screen engine's updates); False when
        there is no connection."""
        return await self._send(data)

    async def _send(self, data: str | bytes) -> bool:
        socket = self._socket
        if socket is None or not self.connected:
            return False
        try:
            await socket.send(data)
        except ConnectionClosed:
            return False
        return True

    # --- the loop --------------------------------------------------------------------

    async def run(self) -> None:
        """Connects and stays connected until `close()` or a refusal."""
        while not self._closed:
            await self._set_state("connecting")
            try:
                async with self._connect(
                    self.url,
                    max_size=MAX_FRAME_BYTES,
                    open_timeout=HANDSHAKE_TIMEOUT_SECONDS,
                    # Screen pictures are compressed already; deflating them again costs
                    # the customer's processor and saves nothing.
                    compression=None,
                ) as socket:
                    await self._authenticate(socket)
                    self._socket = socket
                    self.connections += 1
                    self.backoff.reset()
                    self._connected.set()
                    await self._set_state("connected")
                    # Beside the receiving loop: resuming sends frames whose answers
                    # arrive through that loop.
                    resume = asyncio.create_task(self._notify_connected())
                    try:
                        await self._receive(socket)
                    finally:
                        resume.cancel()
            except ChannelRefused as refusal:
                if refusal.code in PERMANENT_REFUSALS:
                    log.warning("the server refused this computer: %s", refusal.code)
                    self.refusal = refusal
                    await self._set_state("refused")
                    return
                log.info("channel refused (%s); trying again", refusal.code)
            except (OSError, ConnectionClosed, InvalidHandshake, TimeoutError) as error:
                log.info("live channel down: %s", error)
            except InvalidURI:
                raise
            finally:
                self._socket = None
                self._connected.clear()
            if self._closed:
                break
            await self._set_state("disconnected")
            await asyncio.sleep(self.backoff.next_delay())
        await self._set_state("closed")

    async def close(self) -> None:
        self._closed = True
        if self._socket is not None:
            await self._socket.close()

    async def _authenticate(self, socket) -> None:
        raw = await asyncio.wait_for(socket.recv(), HANDSHAKE_TIMEOUT_SECONDS)
        challenge = Challenge.model_validate_json(raw)
        signature = self.device_key.sign(challenge_payload(b64decode(challenge.nonce)))
        hello = Hello(
            device_id=self.device_key.device_id,
            public_key=self.device_key.public_key_base64(),
            signature=b64encode(signature),
            language=self.language,
        )
        await socket.send(hello.model_dump_json())
        answer = server_message.validate_json(
            await asyncio.wait_for(socket.recv(), HANDSHAKE_TIMEOUT_SECONDS)
        )
        if answer.type == "refused":
            raise ChannelRefused(answer.code, answer.message)
        if not isinstance(answer, Welcome):
            raise ChannelRefused("protocol", f"expected welcome, got {answer.type}")
        self.limits = answer.limits
        self.connection_id = answer.connection_id

    async def _receive(self, socket) -> None:
        try:
            async for raw in socket:
                if isinstance(raw, bytes):
                    await self._dispatch_binary(raw)
                    continue
                try:
                    frame = server_message.validate_json(raw)
                except ValidationError as error:
                    log.warning("frame not understood: %s", error)
                    continue
                await self._dispatch(frame)
        except ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == CLOSE_REPLACED:
                log.info("a newer channel of this computer replaced this one")
            raise

    async def _dispatch(self, frame) -> None:
        await self._call(self._handlers.get(frame.type, []), frame, frame.type)

    async def _dispatch_binary(self, data: bytes) -> None:
        try:
            frame = decode(data)
        except BinaryFrameError as error:
            log.warning("binary frame not understood: %s", error)
            return
        await self._call(self._binary_handlers.get(frame.kind, []), frame, f"kind {frame.kind}")

    @staticmethod
    async def _call(handlers: list[Callable], frame, what: str) -> None:
        for handler in list(handlers):
            try:
                outcome = handler(frame)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:  # one broken handler must not end the channel
                log.exception("handler of %s failed", what)

    async def _notify_connected(self) -> None:
        for callback in list(self._connected_callbacks):
            try:
                outcome = callback()
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("resume after connect failed")

    async def _set_state(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        for callback in list(self._state_callbacks):
            try:
                outcome = callback(state)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("state callback failed")
