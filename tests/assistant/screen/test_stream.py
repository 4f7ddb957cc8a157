"""A screen view end to end on a real X server: windows drawn by Tk, grabbed, masked,
encoded, framed and sent by `ScreenStream`, rebuilt by a viewer as the expert's tab does."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from assistant.screen.areas import Area
from assistant.screen.capture import OneWindow, WholeScreen
from assistant.screen.encoding import TileJpegEncoder
from assistant.screen.masks import Masks
from assistant.screen.stream import ScreenStream
from isp_common.binary_frames import decode
from isp_common.screen_wire import SCREEN_UPDATE, ScreenPull, UnavailableReason
from tests.assistant.screen.viewer import Viewer

pytestmark = pytest.mark.desktop

BLUE, RED, GREEN, YELLOW = (48, 96, 192), (200, 30, 30), (30, 160, 60), (230, 200, 40)


def hex_colour(rgb) -> str:
    return "#" + "".join(f"{part:02x}" for part in rgb)


class Receiver:
    """The device's link as the stream sees it: binary messages, with when they came."""

    def __init__(self) -> None:
        self.messages: list[tuple[float, bytes]] = []
        self.viewer = Viewer()
        self.updates = []

    def __call__(self, data: bytes) -> None:
        self.messages.append((time.monotonic(), data))

    def take(self, desktop, count: int = 1, timeout: float = 30.0):
        """Waits for the next `count` messages and applies them as the viewer would."""
        wanted = len(self.updates) + count
        assert desktop.until(lambda: len(self.messages) >= wanted, timeout), "no update came"
        for _, data in self.messages[len(self.updates) : wanted]:
            frame = decode(data)
            assert frame.kind == SCREEN_UPDATE and frame.stream_id == 7
            update = self.viewer.apply(frame.payload)
            assert frame.seq == update.frame
            self.updates.append(update)
        return self.updates[-1]


def region(picture: np.ndarray, area: Area) -> np.ndarray:
    return picture[area.top : area.bottom, area.left : area.right]


def looks(picture: np.ndarray, area: Area, rgb) -> bool:
    """The area shows that colour (within JPEG's loss), inset a little from its edges."""
    inner = region(picture, Area(area.left + 4, area.top + 4, area.width - 8, area.height - 8))
    return bool((np.abs(inner.astype(int) - rgb).max(axis=2) <= 24).mean() > 0.99)


@pytest.fixture
def start(x11):
    started = []

    def make(target=None, masks=None, **options):
        receiver = Receiver()
        stream = ScreenStream(
            target or WholeScreen(),
            masks if masks is not None else Masks(x11),
            receiver,
            stream_id=7,
            platform=x11,
            **options,
        )
        started.append(stream)
        return stream, receiver

    yield make
    for stream in started:
        stream.stop(wait=2)


def window_id(x11, title: str) -> int:
    (found,) = [w.id for w in x11.list_windows() if w.title == title]
    return found


def test_the_viewer_sees_the_screen_with_password_and_banking_windows_black(x11, desktop, start):
    notes = Area(100, 100, 400, 300)
    keepass, bank, settings = (
        Area(600, 100, 300, 200),
        Area(1000, 100, 300, 200),
        Area(1400, 100, 300, 200),
    )
    desktop.window("Notizen", *notes, colour=hex_colour(BLUE))
    desktop.window("Datenbank.kdbx - KeePassXC", *keepass, colour=hex_colour(RED))
    desktop.window("Online-Banking | Sparkasse – Firefox", *bank, colour=hex_colour(GREEN))
    desktop.window("Settings", *settings, colour=hex_colour(YELLOW))
    before = int(time.time() * 1000)
    stream, receiver = start()
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    update = receiver.take(desktop)

    assert update.frame == 1 and update.keyframe
    assert (update.width, update.height) == (1920, 1080)
    assert before <= update.captured_at_ms <= int(time.time() * 1000)
    assert stream.area == Area(0, 0, 1920, 1080)
    seen = receiver.viewer.picture
    assert looks(seen, notes, BLUE)
    assert looks(seen, settings, YELLOW), "'ING' or such must not hide a settings window"
    assert looks(seen, keepass, (0, 0, 0))
    assert looks(seen, bank, (0, 0, 0))


def test_a_window_the_customer_hides_and_the_indicator_are_black_and_follow_them(
    x11, desktop, start
):
    desktop.window("Schreibtisch", 0, 0, 1920, 1080, colour="#d0d0d0")
    photos = Area(200, 200, 400, 300)
    opened = desktop.window("Urlaubsfotos", *photos, colour=hex_colour(BLUE))
    indicator = Area(1600, 20, 280, 60)
    desktop.window("Bildschirmfreigabe aktiv", *indicator, colour=hex_colour(RED))
    desktop.window("Leiste", 0, 980, 400, 100, colour=hex_colour(YELLOW))
    masks = Masks(x11)
    assert x11.exclude_from_capture(window_id(x11, "Bildschirmfreigabe aktiv")) is False
    masks.hide_window(window_id(x11, "Bildschirmfreigabe aktiv"))
    masks.set_rectangle("corner", Area(0, 1000, 100, 80))
    stream, receiver = start(masks=masks)
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    receiver.take(desktop)
    seen = receiver.viewer.picture
    assert looks(seen, photos, BLUE)
    assert looks(seen, indicator, (0, 0, 0))
    assert looks(seen, Area(0, 1000, 100, 80), (0, 0, 0))
    assert looks(seen, Area(100, 980, 300, 100), YELLOW)

    masks.hide_window(window_id(x11, "Urlaubsfotos"))
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    update = receiver.take(desktop)
    assert not update.keyframe
    assert looks(receiver.viewer.picture, photos, (0, 0, 0))

    moved = Area(900, 500, 400, 300)
    opened.geometry("400x300+900+500")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=2))
    receiver.take(desktop)
    assert looks(receiver.viewer.picture, moved, (0, 0, 0)), "the hidden window is followed"
    # The place it left may stay black for the frame that caught the move (the masks from
    # before the grab count too, when the grab came before the window manager was done);
    # the next frame shows what is there now.
    if not looks(receiver.viewer.picture, photos, (208, 208, 208)):
        stream.pull(ScreenPull(consent_id="c1", after_frame=receiver.updates[-1].frame))
        receiver.take(desktop)
    seen = receiver.viewer.picture
    assert looks(seen, moved, (0, 0, 0))
    assert looks(seen, photos, (208, 208, 208))

    masks.show_window(window_id(x11, "Urlaubsfotos"))
    stream.pull(ScreenPull(consent_id="c1", after_frame=receiver.updates[-1].frame))
    receiver.take(desktop)
    assert looks(receiver.viewer.picture, moved, BLUE)


def test_a_window_retitled_or_opened_while_streaming_is_black_in_the_first_frame_after(
    x11, desktop, start
):
    """While a stream runs the window list comes from the X server's notifications
    (`X11Platform.windows_watched`); it is never a frame behind."""
    notes, keepass = Area(100, 100, 400, 300), Area(700, 100, 300, 200)
    window = desktop.window("Notizen", *notes, colour=hex_colour(BLUE))
    stream, receiver = start()
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    receiver.take(desktop)
    assert looks(receiver.viewer.picture, notes, BLUE)
    assert x11._watch is not None

    window.title("Online-Banking | Sparkasse – Firefox")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    update = receiver.take(desktop)
    assert update.frame == 2 and looks(receiver.viewer.picture, notes, (0, 0, 0))

    desktop.window("Datenbank.kdbx - KeePassXC", *keepass, colour=hex_colour(RED))
    stream.pull(ScreenPull(consent_id="c1", after_frame=2))
    receiver.take(desktop)
    assert looks(receiver.viewer.picture, keepass, (0, 0, 0))

    window.title("Notizen")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=3))
    receiver.take(desktop)
    assert looks(receiver.viewer.picture, notes, BLUE)
    stream.stop(wait=2)
    assert x11._watch is None  # the stream's thread ended: nothing is watched any more


def test_a_pull_is_answered_only_when_something_changed_with_only_the_change(x11, desktop, start):
    window = desktop.window("Terminal", 100, 100, 600, 400, colour="#202020")
    stream, receiver = start()
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    keyframe_size = len(receiver.messages[0][1]) if receiver.take(desktop) else 0
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    desktop.pump(0.4)
    assert len(receiver.messages) == 1, "nothing changed, nothing is sent"

    window.configure(background="#f0f0f0")
    desktop.settle()
    update = receiver.take(desktop)
    assert update.frame == 2 and not update.keyframe
    # only the window's tiles (32 pixels) are sent
    assert all(r.x >= 96 and r.x + r.width <= 704 for r in update.rects)
    assert all(r.y >= 96 and r.y + r.height <= 512 for r in update.rects)
    assert len(receiver.messages[1][1]) < keyframe_size / 4
    assert looks(receiver.viewer.picture, Area(100, 100, 600, 400), (240, 240, 240))

    # A viewer that lost its picture asks again from frame 0: it gets a keyframe at once.
    stream.pull(ScreenPull(consent_id="c1", after_frame=0))
    assert receiver.take(desktop).keyframe


def test_crossed_pulls_keep_one_update_in_flight_and_the_rest_deltas(x11, desktop, start):
    """A viewer that opens asks for the whole picture twice (its page and its stream each
    ask); it gets two keyframes, then pulls behind the sender while the second is on its
    way. That pull is dropped, not answered with a third keyframe: the next pull after the
    second frame gets only the change."""
    window = desktop.window("Terminal", 100, 100, 600, 400, colour="#202020")
    stream, receiver = start()
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    receiver.take(desktop)
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    assert receiver.take(desktop).frame == 2

    window.configure(background="#f0f0f0")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))  # frame 2 is on its way
    desktop.pump(0.4)
    assert len(receiver.messages) == 2, "a pull behind the sender is not answered"
    stream.pull(ScreenPull(consent_id="c1", after_frame=2))
    update = receiver.take(desktop)
    assert (update.frame, update.keyframe) == (3, False)
    assert looks(receiver.viewer.picture, Area(100, 100, 600, 400), (240, 240, 240))


def test_one_window_is_shared_where_it_goes_until_it_is_closed(x11, desktop, start):
    opened = desktop.window("Formular", 300, 200, 500, 350, colour=hex_colour(GREEN))
    desktop.window("Daneben", 820, 200, 300, 300, colour=hex_colour(RED))
    gone = threading.Event()
    reasons = []

    def unavailable(reason):
        reasons.append(reason)
        gone.set()

    stream, receiver = start(OneWindow(window_id(x11, "Formular")), on_unavailable=unavailable)
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    update = receiver.take(desktop)
    assert (update.width, update.height) == (500, 350)
    assert stream.area == Area(300, 200, 500, 350)
    assert looks(receiver.viewer.picture, Area(0, 0, 500, 350), GREEN)

    opened.geometry("500x350+1000+600")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    desktop.until(lambda: stream.area == Area(1000, 600, 500, 350))
    assert looks(receiver.viewer.picture, Area(0, 0, 500, 350), GREEN)

    opened.destroy()
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=stream.frame))
    assert desktop.until(gone.is_set)
    assert reasons == [UnavailableReason.window_gone]
    sent = len(receiver.messages)
    desktop.pump(0.3)
    assert len(receiver.messages) == sent


class SlowEncoder(TileJpegEncoder):
    """The real encoder taking a long time, as on a slow computer: stop() comes mid-encode."""

    def __init__(self) -> None:
        super().__init__()
        self.encoding = threading.Event()

    def encode(self, picture, **options):
        self.encoding.set()
        time.sleep(0.5)
        return super().encode(picture, **options)


def test_after_stop_returns_no_frame_is_sent_even_mid_encode(x11, desktop, start):
    desktop.window("Arbeit", 100, 100, 400, 300)
    encoder = SlowEncoder()
    stream, receiver = start(encoder=encoder)
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    assert encoder.encoding.wait(5)
    asked = time.monotonic()
    stream.stop()
    returned = time.monotonic()
    assert returned - asked < 0.25
    desktop.pump(1.0)
    assert receiver.messages == []


def test_a_busy_screen_streams_until_stop_and_not_a_frame_later(x11, desktop, start):
    window = desktop.window("Uhr", 100, 100, 300, 200)
    stream, receiver = start()
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    colours = ["#102030", "#405060", "#708090", "#a0b0c0"]
    end = time.monotonic() + 1.0
    step = 0
    while time.monotonic() < end:
        step += 1
        window.configure(background=colours[step % len(colours)])
        desktop.settle()
        if receiver.messages and stream.frame == len(receiver.messages):
            stream.pull(ScreenPull(consent_id="c1", after_frame=stream.frame))
        desktop.pump(0.01)
    stream.stop()
    stopped = time.monotonic()
    for step in range(20):  # the screen keeps changing, a pull is waiting
        window.configure(background=colours[step % len(colours)])
        desktop.pump(0.02)
    assert len(receiver.messages) >= 5
    assert all(at <= stopped for at, _ in receiver.messages)
    frames = [decode(data).seq for _, data in receiver.messages]
    assert frames == list(range(1, len(frames) + 1))


def test_a_moved_pointer_alone_is_an_update_without_rectangles(x11, desktop, start):
    from pynput.mouse import Controller

    desktop.window("Zeiger", 100, 100, 300, 200)
    pointer = Controller()
    pointer.position = (150, 160)
    stream, receiver = start(OneWindow(window_id(x11, "Zeiger")))
    stream.pull(ScreenPull(consent_id="c1", keyframe=True))
    assert receiver.take(desktop).cursor == (50, 60)
    pointer.position = (390, 290)
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    update = receiver.take(desktop)
    assert update.rects == [] and update.cursor == (290, 190)
    pointer.position = (1000, 900)  # off the shared window
    stream.pull(ScreenPull(consent_id="c1", after_frame=2))
    assert receiver.take(desktop).cursor == (-1, -1)


def test_the_first_update_and_one_after_a_resize_are_keyframes(x11, desktop, start):
    opened = desktop.window("Wächst", 100, 100, 300, 200)
    stream, receiver = start(OneWindow(window_id(x11, "Wächst")))
    stream.pull(ScreenPull(consent_id="c1"))  # no keyframe asked: the first is one anyway
    update = receiver.take(desktop)
    assert update.keyframe and (update.width, update.height) == (300, 200)
    opened.geometry("420x260+100+100")
    desktop.settle()
    stream.pull(ScreenPull(consent_id="c1", after_frame=1))
    update = receiver.take(desktop)
    assert update.keyframe and (update.width, update.height) == (420, 260)
