"""Screen sharing and remote control, the customer's side: the consent kinds `screen_view`
and `control` (`assistant.escalation.consent`) and the live session between a grant and
its end. The picture is made by the engine (`assistant.screen`); this module decides
when it may be made and sent.

    share = ScreenShare(channel, privacy_titles=settings_titles, extra_rects=indicator)
    consent.serve("screen_view", share.view_kind)
    consent.serve("control", share.control_kind)
    share.sessions()             # who watches now, whether they control, for the indicator
    share.hide(window_id)        # the customer hides a window from the picture; show() again
    await share.stop_all("signed_out")

A view: the customer chose "screen" or "window" (and which window) in the consent dialog.
Nothing is captured before that grant, and nothing after it: on the grant the session
waits for the server's `relay.opened` whose purpose names the consent
(`screen-view:<consent_id>`, role `send`), then starts the engine's `ScreenStream`, sends
`screen.status` (sharing) and answers each `screen.pull` with at most one update on that
stream. `screen.input` is injected only while a control consent for this view is granted;
otherwise it is dropped (and logged). Control is its own consent, asked only while the
view it belongs to (`parent_id`) is sharing: granting the view never grants control, and
control ends with the view. Ending control lets go of every key and button the viewer
held (`Injector.release_all`).

Everything stops, synchronously in the event loop (no frame or input event is handled
after `stop` returns), when the customer stops it (revoke), the server closes the
consent (`consent.closed`), the chat ends, the customer signs out, the assistant closes
or the connection to the server is lost; the device then says `screen.status` stopped
where it still can. The relay stream is only the way the picture takes: the server opens
a fresh one for the view whenever the viewer's page comes (again), and closes one whose
tabs are gone. While the view has no open stream nothing is sent; a new `relay.opened`
for it carries the picture on.

The indicator (`assistant.indicator`) is kept out of the picture: `exclude_rects` names
its rectangle, which is blacked out in every update (X11), or it is excluded from capture
by the system (Windows, macOS) through the engine's `exclude_from_capture`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.escalation.screen_kinds import ControlKind, ScreenViewKind
from isp_common.binary_frames import decode_header
from isp_common.consent_wire import ConsentRevokeFrame
from isp_common.screen_wire import (
    ScreenStatus,
    ShareState,
    UnavailableReason,
    consent_of_purpose,
)

log = logging.getLogger(__name__)

# Ends the server knows of already (it closed the consent or the stream, or the customer's
# revocation went out through the consent flow): no revocation is sent for these.
SERVER_KNOWS = {"revoked", "closed", "relay_closed", "connection_lost"}

# How the sessions end, in the words of `on_done` of the consent flow.
STOP_REASONS = (
    "revoked",
    "closed",
    "relay_closed",
    "chat_ended",
    "signed_out",
    "assistant_closed",
    "connection_lost",
    "unavailable",
)


def _load_engine():
    import assistant.screen as engine

    return engine


@dataclass
class ViewSession:
    """One granted screen view, from the grant to its end."""

    consent_id: str
    viewer: str
    choice: str  # "screen" or "window"
    window_id: object = None
    scope: dict = field(default_factory=dict)
    started_at: float = 0.0
    stream_id: int | None = None
    control_id: str | None = None  # the control consent granted for this view, if any
    sharing: bool = False
    stopped_at: float | None = None
    stop_reason: str | None = None
    frames_sent: int = 0
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    stream: object = None
    early_pull: object = None
    width: int = 0
    height: int = 0

    @property
    def control(self) -> bool:
        return self.control_id is not None


class ScreenShare:
    def __init__(
        self,
        channel,
        *,
        engine=None,
        privacy_titles: Callable[[], list[str]] | None = None,
        extra_rects: Callable[[], list[tuple[int, int, int, int]]] = list,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[], object] | None = None,
    ) -> None:
        self.channel = channel
        self._engine = engine
        self.privacy_titles = privacy_titles  # None: the engine's defaults
        self.extra_rects = extra_rects
        self.clock = clock
        self.on_change = on_change
        self.hidden: set = set()  # window ids the customer hid from the picture
        self._sessions: dict[str, ViewSession] = {}
        self._relays: dict[str, int] = {}  # consent id → stream id, opened before the grant
        self._injector = None
        self._masks = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Task] = set()
        self._input_lock = asyncio.Lock()
        self.view_kind = ScreenViewKind(self)
        self.control_kind = ControlKind(self)
        channel.on("relay.opened", self._on_relay_opened)
        channel.on("relay.closed", self._on_relay_closed)
        channel.on("screen.pull", self._on_pull)
        channel.on("screen.input", self._on_input)
        channel.on("consent.closed", self._on_consent_closed)
        channel.on_state(self._on_channel_state)

    # --- the engine --------------------------------------------------------------------

    @property
    def engine(self):
        if self._engine is None:
            self._engine = _load_engine()
        return self._engine

    def availability(self):
        """None when this desktop can be shared; else the engine's reason (wayland...)."""
        try:
            return self.engine.availability()
        except ImportError as err:  # the desktop extra is not installed
            log.info("screen sharing is not installed: %s", err)
            return UnavailableReason.capture_failed

    def windows(self) -> list:
        """The windows the customer may share alone or hide (the engine's WindowInfo)."""
        try:
            return list(self.engine.list_windows())
        except Exception:
            log.exception("could not list the windows")
            return []

    def injector(self):
        if self._injector is None:
            self._injector = self.engine.injector()
        return self._injector

    # --- what the indicator shows -------------------------------------------------------

    def sessions(self) -> list[ViewSession]:
        return [session for session in self._sessions.values() if session.stopped_at is None]

    def session(self, consent_id: str) -> ViewSession | None:
        return self._sessions.get(consent_id)

    def hide(self, window_id: int) -> None:
        self.hidden.add(window_id)
        self.masks().hide_window(window_id)
        self._changed()

    def show(self, window_id: int) -> None:
        self.hidden.discard(window_id)
        self.masks().show_window(window_id)
        self._changed()

    def masks(self):
        """The engine's masks (privacy titles, the windows the customer hid), one for all
        views; the privacy titles are read again for each view."""
        if self._masks is None:
            engine = self.engine
            self._masks = engine.Masks(engine.current_platform())
        return self._masks

    def _masks_provider(self):
        masks = self.masks()
        titles = self.privacy_titles() if self.privacy_titles is not None else None
        masks.set_privacy_titles(
            titles if titles is not None else self.engine.DEFAULT_PRIVACY_TITLES
        )
        area = self.engine.Area

        def provider() -> list:
            # The indicator's rectangle too, wherever it has been moved meanwhile.
            return masks() + [area(*rect) for rect in self.extra_rects()]

        return provider

    # --- a view's life -------------------------------------------------------------------

    async def run_view(self, question) -> str:
        """Serves a granted view until it ends; returns why it ended."""
        consent_id = question.consent_id
        session = ViewSession(
            consent_id=consent_id,
            viewer=question.requester_name,
            choice=question.choice or "screen",
            window_id=question.detail.get("window_id"),
            scope=dict(question.scope),
            started_at=self.clock(),
        )
        self._sessions[consent_id] = session
        stream_id = self._relays.pop(consent_id, None)
        if stream_id is not None:
            session.stream_id = stream_id
            session.opened.set()
        self._changed()
        try:
            while session.stream_id is None and session.stopped_at is None:
                await session.opened.wait()  # cleared again if the stream closed meanwhile
            if session.stopped_at is None:
                await self._start_stream(session)
            await session.ended.wait()
        except asyncio.CancelledError:
            self.stop(consent_id, "revoked")
            raise
        finally:
            self._sessions.pop(consent_id, None)
            self._changed()
        return session.stop_reason or "stopped"

    async def _start_stream(self, session: ViewSession) -> None:
        reason = self.availability()
        window = self._window(session.window_id) if session.choice == "window" else None
        if reason is None and session.choice == "window" and window is None:
            reason = UnavailableReason.window_gone
        if reason is not None:
            self._unavailable(session, reason)
            return
        engine = self.engine
        target = engine.WholeScreen() if window is None else engine.OneWindow(window.id)
        loop = asyncio.get_running_loop()

        def send(data: bytes) -> None:  # on the stream's thread: hand it to the loop
            loop.call_soon_threadsafe(self._send_update, session, data)

        def unavailable(why) -> None:
            loop.call_soon_threadsafe(self._unavailable, session, why)

        session.stream = engine.ScreenStream(
            target,
            self._masks_provider(),
            send,
            stream_id=session.stream_id,
            on_unavailable=unavailable,
        )
        session.sharing = True
        if session.early_pull is not None:
            session.stream.pull(session.early_pull)
            session.early_pull = None
        await self._status(session, ShareState.sharing)

    def _window(self, window_id):
        return next((w for w in self.windows() if str(w.id) == str(window_id)), None)

    def _send_update(self, session: ViewSession, data: bytes) -> None:
        if not session.sharing:
            return  # stopped meanwhile: not one byte after the end
        if session.stream_id is None or decode_header(data).stream_id != session.stream_id:
            return  # made for a stream that closed meanwhile: the next pull gets a keyframe
        session.frames_sent += 1
        self._background(self.channel.send_encoded(data))
        area = getattr(session.stream, "area", None)
        if area is not None and (area.width, area.height) != (session.width, session.height):
            # The viewer learns the picture's size (first frame, a resized window).
            session.width, session.height = area.width, area.height
            self._background(self._status(session, ShareState.sharing))

    def _unavailable(self, session: ViewSession, reason) -> None:
        """The picture cannot be made (any more): the viewer hears why, the view ends."""
        if session.stopped_at is not None:
            return
        self.stop(session.consent_id, "unavailable", tell=False)
        self._background(self._tell_stopped(session, "unavailable", ShareState.unavailable, reason))

    def stop(self, consent_id: str, reason: str, *, tell: bool = True) -> bool:
        """Stops the view at once: no update and no input after this returns. The status
        goes out in the background. False when no such view runs."""
        session = self._sessions.get(consent_id)
        if session is None or session.stopped_at is not None:
            return False
        session.stopped_at = self.clock()
        session.stop_reason = reason
        session.sharing = False
        stream, session.stream = session.stream, None
        if stream is not None:
            try:
                stream.stop()
            except Exception:
                log.exception("the screen stream did not stop cleanly")
        if session.control_id is not None:
            self._end_control(session)
        session.opened.set()
        session.ended.set()
        if tell:
            self._background(self._tell_stopped(session, reason))
        if not any(other.stopped_at is None for other in self._sessions.values()):
            self._close_injector()
        log.info("screen view %s stopped: %s", consent_id, reason)
        self._changed()
        return True

    async def _tell_stopped(
        self, session: ViewSession, reason: str, state=ShareState.stopped, why=None
    ) -> None:
        await self._status(session, state, reason=why)
        if reason not in SERVER_KNOWS:
            # Ended here (the chat ended, sign-out, closing): the server hears it as the
            # customer's revocation, so it relays nothing more either.
            await self.channel.send(ConsentRevokeFrame(consent_id=session.consent_id))

    async def stop_all(self, reason: str) -> None:
        """Stops every view; waits (briefly) until the server has been told."""
        for consent_id in list(self._sessions):
            self.stop(consent_id, reason, tell=reason != "connection_lost")
        if self._pending:
            await asyncio.wait(list(self._pending), timeout=1.0)

    # --- control -----------------------------------------------------------------------

    def control_unavailable(self, parent_id: str | None) -> str | None:
        session = self._sessions.get(parent_id or "")
        if session is None or session.stopped_at is not None:
            return "not_viewing"
        if session.control_id is not None:
            return "already_granted"
        return None

    async def run_control(self, question) -> str:
        session = self._sessions.get(question.parent_id or "")
        if session is None or session.stopped_at is not None:
            return "closed"
        session.control_id = question.consent_id
        self._changed()
        await self._status(session, ShareState.sharing)
        try:
            await session.ended.wait()
            return "closed"  # the view ended, and control with it
        finally:
            if session.control_id == question.consent_id:
                self._end_control(session)
                if session.stopped_at is None:
                    self._background(self._status(session, ShareState.sharing))
            self._changed()

    def _end_control(self, session: ViewSession) -> None:
        session.control_id = None
        if self._injector is not None:
            try:
                self._injector.release_all()
            except Exception:
                log.exception("could not let go of the held keys")

    def _close_injector(self) -> None:
        injector, self._injector = self._injector, None
        if injector is not None:
            try:
                injector.close()
            except Exception:
                log.exception("could not close the input injection")

    # --- frames from the server ------------------------------------------------------------

    async def _on_relay_opened(self, frame) -> None:
        if frame.role != "send":
            return
        consent_id = consent_of_purpose(frame.purpose)
        if consent_id is None:
            return
        session = self._sessions.get(consent_id)
        if session is None:
            self._relays[consent_id] = frame.stream_id  # the grant's task starts next
            return
        # The first stream, or a fresh one (the viewer's page came again): the picture
        # goes on it from the next pull, which asks for the whole picture.
        session.stream_id = frame.stream_id
        if session.stream is not None:
            session.stream.stream_id = frame.stream_id
        session.opened.set()

    async def _on_relay_closed(self, frame) -> None:
        # Its tabs are gone or the server replaced it: nothing goes out until the server
        # opens the view's stream again. The view itself ends with its consent.
        for session in list(self._sessions.values()):
            if session.stream_id == frame.stream_id:
                session.stream_id = None
                if session.stream is None:
                    session.opened.clear()
        for consent_id, stream_id in list(self._relays.items()):
            if stream_id == frame.stream_id:
                del self._relays[consent_id]

    async def _on_pull(self, frame) -> None:
        session = self._sessions.get(frame.consent_id)
        if session is None or session.stopped_at is not None:
            return
        if session.stream is None:
            # Between the grant and the stream's start: answered once it runs.
            session.early_pull = frame
            return
        session.stream.pull(frame)

    async def _on_input(self, frame) -> None:
        session = self._sessions.get(frame.consent_id)
        if session is None or not session.sharing or session.control_id is None:
            log.info("screen input for %s ignored: control is not granted", frame.consent_id)
            return
        control_id = session.control_id
        async with self._input_lock:  # in order, one frame after the other

            def inject():
                # Taken back while this frame waited: not one more event.
                if session.control_id != control_id or session.stream is None:
                    return None
                area = session.stream.area
                if area is None:
                    return None
                return self.injector().inject(frame.events, area)

            try:
                result = await asyncio.to_thread(inject)
            except Exception:
                log.exception("screen input for %s could not be injected", frame.consent_id)
                return
        if result is not None and result.refused:
            log.info("screen input for %s: refused %s", frame.consent_id, result.refused)

    async def _on_consent_closed(self, frame) -> None:
        # The consent flow cancels the grant's work too; stopping here as well makes the
        # stop immediate even while the flow's task is still being scheduled.
        if frame.consent_id in self._sessions:
            self.stop(frame.consent_id, "closed", tell=False)
        for session in self._sessions.values():
            if session.control_id == frame.consent_id:
                self._end_control(session)
                self._background(self._status(session, ShareState.sharing))
                self._changed()

    async def _on_channel_state(self, state: str) -> None:
        if state in ("disconnected", "closed", "refused"):
            self._relays.clear()
            await self.stop_all("connection_lost")

    # --- helpers -------------------------------------------------------------------------

    async def _status(self, session: ViewSession, state: ShareState, reason=None) -> None:
        await self.channel.send(
            ScreenStatus(
                consent_id=session.consent_id,
                state=state,
                reason=reason,
                width=session.width,
                height=session.height,
                choice=session.choice if session.choice in ("screen", "window") else None,
                control=session.control_id is not None and state is ShareState.sharing,
            )
        )

    def _background(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("could not tell the page that sharing changed")
