"""The device's side of one screen view: grabs, masks, encodes and sends, on a thread of
its own so the grab and the encoding never hold up the asyncio loop.

    stream = ScreenStream(WholeScreen(), masks, send_binary, stream_id=relay_stream_id)
    stream.pull(screen_pull)     # for every `screen.pull` the viewer sends
    stream.area                  # where the picture is on the screen (for input)
    stream.stop()                # no frame is sent once this returns

Pulling: each pull is answered with at most one update, when something changed: the
stream looks for a change up to `max_fps` times a second until there is one (a moved
pointer counts). A pull with `keyframe`, or one with `after_frame` 0 (a viewer without a
picture), is answered at once with the whole picture. A pull behind the frame sent last
on the current stream (two pulls crossed, as when a viewer opens and asks twice) is
dropped: that frame is on its way, in order, and the viewer pulls again once it has drawn
it, so one update at a time stays in flight. A pull that names a frame from before the
current stream (`stream_id` set anew: frames made meanwhile never reached this viewer)
gets the whole picture. Before, each such pull was answered with a keyframe, and two
crossed pulls kept every later update a keyframe. A newer pull replaces one not yet
answered.

`send_binary(data)` gets whole binary messages (`isp_common.binary_frames`, kind
`SCREEN_UPDATE`, the frame number as sequence number), on the stream's thread: it must
not block (hand the bytes to the loop, e.g. with `loop.call_soon_threadsafe`).
`on_unavailable(reason)`, also on that thread, says when sharing cannot go on (the window
was closed, the grab failed); the stream then sends nothing more. If `send_binary` raises,
the stream stops too (the link is gone; the session learns that from the link).

Stopping: `stop()` takes the lock every send is made under and marks the stream stopped,
so once it returns no further frame is sent, even if the thread is in the middle of a
grab or an encoding (it throws that work away). It waits at most for one `send_binary`
call in progress, so it returns within milliseconds; the thread ends on its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from assistant.screen.areas import Area
from assistant.screen.capture import Grabber, Target
from assistant.screen.encoding import Encoder, TileJpegEncoder
from assistant.screen.errors import ScreenUnavailable
from assistant.screen.masks import Masking
from assistant.screen.platform import Platform, current
from isp_common.binary_frames import BinaryFrame, BinaryFrameError, encode
from isp_common.screen_wire import (
    SCREEN_UPDATE,
    ScreenPull,
    ScreenUpdate,
    UnavailableReason,
    encode_update,
)

logger = logging.getLogger(__name__)
MasksProvider = Callable[[], list[Area]]
MASKS_FRESH = 0.05  # seconds a list of masks taken after one grab serves before the next


class ScreenStream:
    def __init__(
        self,
        target: Target,
        masks_provider: MasksProvider,
        send_binary: Callable[[bytes], None],
        *,
        stream_id: int,
        platform: Platform | None = None,
        encoder: Encoder | None = None,
        on_unavailable: Callable[[UnavailableReason], None] | None = None,
        max_fps: float = 30.0,
    ) -> None:
        self.target = target
        self._stream_id = stream_id
        self._stream_began = 0  # the last frame before the current stream: not sent on it
        self._masks = masks_provider
        self._send = send_binary
        self._platform = platform or current()
        self._encoder = encoder or TileJpegEncoder()
        self._on_unavailable = on_unavailable
        self._interval = 1.0 / max_fps
        self._wake = threading.Condition()
        self._send_lock = threading.Lock()
        self._pending: ScreenPull | None = None
        self._stopped = False
        self._frame = 0  # the last frame sent
        self._cursor = (-1, -1)
        self._area: Area | None = None
        self._last_masks: list[Area] = []
        self._last_masks_at = float("-inf")
        self._masking = Masking()
        self._thread = threading.Thread(target=self._run, name="screen-stream", daemon=True)
        self._thread.start()

    @property
    def frame(self) -> int:
        """The number of the last frame sent (0: none yet)."""
        return self._frame

    @property
    def area(self) -> Area | None:
        """Where the shared picture was on the screen at the last grab."""
        return self._area

    @property
    def stream_id(self) -> int:
        return self._stream_id

    @stream_id.setter
    def stream_id(self, stream_id: int) -> None:
        """A fresh relay stream: the frames made until now never travel on it."""
        with self._wake:
            self._stream_id = stream_id
            self._stream_began = self._frame

    @property
    def stopped(self) -> bool:
        return self._stopped

    def pull(self, pull: ScreenPull) -> None:
        with self._wake:
            self._pending = pull
            self._wake.notify_all()

    def stop(self, wait: float = 0.0) -> None:
        """No frame is sent once this returns; `wait` > 0 also waits that long for the
        thread to end (it ends by itself soon after)."""
        with self._send_lock:
            self._stopped = True
        with self._wake:
            self._wake.notify_all()
        if wait > 0 and threading.current_thread() is not self._thread:
            self._thread.join(wait)

    # --- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        grabber = Grabber(self._platform, self.target)
        try:
            with self._platform.windows_watched():  # the masks list the windows each frame
                self._serve(grabber)
        except ScreenUnavailable as error:
            self._give_up(error.reason, error)
        except Exception as error:  # noqa: BLE001 - a failed grab ends sharing, not the app
            logger.exception("Screen sharing failed")
            self._give_up(UnavailableReason.capture_failed, error)
        finally:
            grabber.close()

    def _serve(self, grabber: Grabber) -> None:
        last_look = 0.0
        while True:
            with self._wake:
                while not self._stopped and self._pending is None:
                    self._wake.wait()
                if self._stopped:
                    return
                pull = self._pending
                if not pull.keyframe and self._stream_began < pull.after_frame < self._frame:
                    self._pending = None  # the frame sent last is on its way: wait for it
                    continue
            # The whole picture when asked, for a viewer without a picture (or one ahead of
            # this stream: another stream's frames), and for the first frame.
            keyframe = pull.keyframe or pull.after_frame != self._frame or self._frame == 0
            if not keyframe:  # look for a change at most max_fps times a second
                delay = last_look + self._interval - time.monotonic()
                if delay > 0:
                    with self._wake:
                        self._wake.wait(delay)
                    continue  # a newer pull or stop() may have come meanwhile
            last_look = time.monotonic()
            made = self._update(grabber, pull, keyframe)
            if made is None:
                continue
            update, payload = made
            data = encode(BinaryFrame(SCREEN_UPDATE, self.stream_id, update.frame, payload))
            with self._send_lock:
                if self._stopped:
                    return
                with self._wake:
                    if self._pending is pull:
                        self._pending = None
                self._frame = update.frame
                self._cursor = update.cursor
                try:
                    self._send(data)
                except Exception:  # noqa: BLE001 - the link is gone: the session sees it too
                    logger.exception("Sending a screen update failed; the stream stops")
                    self._stopped = True
                    return

    def _update(
        self, grabber: Grabber, pull: ScreenPull, keyframe: bool
    ) -> tuple[ScreenUpdate, bytes] | None:
        """The next update and its payload (`encode_update`), None when nothing changed."""
        # The masks as they were just before the grab and just after it: the last look's
        # "after" serves as "before" while it is fresh (listing windows costs some ms).
        before = self._last_masks
        if time.monotonic() - self._last_masks_at > MASKS_FRESH:
            before = self._masks()
        frame = grabber.grab()
        if frame is None:  # the shared window is minimised
            return None
        after = self._masks()
        self._last_masks, self._last_masks_at = after, time.monotonic()
        # The grab is read-only: a copy with the masks black when one lies on it.
        pixels = self._masking(frame.pixels, frame.area, before + after)
        if self._area is None or self._area[2:] != frame.area[2:]:
            keyframe = True  # a picture of another size comes as a keyframe
        self._area = frame.area
        cursor = self._cursor_on(frame.area)
        rects = self._encoder.encode(
            pixels, quality=pull.quality, keyframe=keyframe, refine_quality=pull.refine_quality
        )
        if rects is None and cursor == self._cursor:
            return None
        update = ScreenUpdate(
            frame=self._frame + 1,
            captured_at_ms=frame.captured_at_ms,
            width=frame.area.width,
            height=frame.area.height,
            cursor=cursor,
            keyframe=keyframe,
            rects=rects or [],
        )
        try:
            payload = encode_update(update)
        except (ValueError, BinaryFrameError) as error:
            self._encoder.reset()
            raise ScreenUnavailable(UnavailableReason.capture_failed, str(error)) from error
        return update, payload

    def _cursor_on(self, area: Area) -> tuple[int, int]:
        position = self._platform.cursor_position()
        if position is None or not area.contains(*position):
            return (-1, -1)
        return (position[0] - area.left, position[1] - area.top)

    def _give_up(self, reason: UnavailableReason, error: Exception) -> None:
        logger.info("Screen sharing stops: %s (%s)", reason.value, error)
        with self._send_lock:
            if self._stopped:
                return
            self._stopped = True
        if self._on_unavailable is not None:
            self._on_unavailable(reason)
