"""Screen sharing on the customer's side with the real engine on a virtual screen (Xvfb) and
the real device channel to a loopback server: nothing is captured before the customer
shares, updates flow only on the relay stream the server opened for this consent, input is
injected only under a separate control consent, and stopping is immediate."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import pytest

import assistant.screen as engine
from assistant.escalation.channel import Backoff, DeviceChannel
from assistant.escalation.consent import Answer, ConsentResponder
from assistant.escalation.screen_share import ScreenShare
from assistant.premium.device_keys import DeviceKey
from isp_common.consent_wire import ConsentClosedFrame
from isp_common.live_wire import RelayClosed, RelayOpened
from isp_common.screen_wire import SCREEN_UPDATE, ScreenInput, ScreenPull, decode_update
from tests.assistant.escalation.loopback_portal import LoopbackPortal, consent_request

STREAM_ID = 41


class Device:
    """The assistant's side: its channel, the consent flow and the screen sharing; the
    customer's dialog answers when the test says so."""

    def __init__(self, server_url: str, key_dir) -> None:
        self.channel = DeviceChannel(
            server_url=server_url,
            device_key=DeviceKey.load_or_create(key_dir),
            backoff=Backoff(initial=0.05, maximum=0.2),
        )
        self.questions: dict[str, asyncio.Future] = {}
        self.outcomes: dict[str, str] = {}
        self.consent = ConsentResponder(
            self.channel,
            ask=self.ask,
            on_done=lambda question, outcome: self.outcomes.__setitem__(
                question.consent_id, outcome
            ),
        )
        self.share = ScreenShare(self.channel, engine=engine)
        self.consent.serve("screen_view", self.share.view_kind)
        self.consent.serve("control", self.share.control_kind)

    async def ask(self, question):
        answer = asyncio.get_running_loop().create_future()
        self.questions[question.consent_id] = answer
        return await answer

    def answer(self, consent_id: str, answer) -> None:
        self.questions[consent_id].set_result(answer)


@contextlib.asynccontextmanager
async def connected(tmp_path):
    portal = LoopbackPortal()
    url = await portal.start()
    device = Device(url, tmp_path / "keys")
    task = asyncio.create_task(device.channel.run())
    await portal.wait_connected()
    try:
        yield portal, device
    finally:
        await device.share.stop_all("assistant_closed")
        await device.channel.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await portal.close()


def stream_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "screen-stream" and t.is_alive()]


async def grant_view(portal, device, consent_id="v1", answer=None) -> None:
    await portal.send(consent_request(consent_id))
    await portal.wait_for(lambda: consent_id in device.questions)
    device.answer(consent_id, answer or Answer(True, "screen"))
    await portal.wait_for(
        lambda: [a for a in portal.frames("consent.answer") if a["consent_id"] == consent_id]
    )
    await portal.send(
        RelayOpened(
            stream_id=STREAM_ID,
            role="send",
            kinds=[SCREEN_UPDATE],
            purpose=f"screen-view:{consent_id}",
        )
    )
    await portal.wait_for(
        lambda: [s for s in portal.frames("screen.status") if s["consent_id"] == consent_id]
    )


async def pull_one(portal, consent_id="v1", after=0, keyframe=False):
    count = len(portal.binaries())
    await portal.send(ScreenPull(consent_id=consent_id, after_frame=after, keyframe=keyframe))
    await portal.wait_for(lambda: len(portal.binaries()) > count)
    return portal.binaries()[-1].binary


def test_nothing_is_captured_before_share_and_frames_follow_only_the_opened_relay(
    x_display, tmp_path
):
    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await portal.send(consent_request("v1"))
            await portal.wait_for(lambda: "v1" in device.questions)
            # The dialog is open: a pull now is not answered, nothing grabs the screen.
            await portal.send(ScreenPull(consent_id="v1"))
            await asyncio.sleep(0.4)
            assert portal.binaries() == []
            assert stream_threads() == []

            device.answer("v1", Answer(True, "screen"))
            await portal.wait_for(lambda: portal.frames("consent.answer"))
            (answer,) = portal.frames("consent.answer")
            assert answer["granted"] is True and answer["choice"] == "screen"
            # Granted, but the server has not opened the stream: still nothing is sent.
            await portal.send(ScreenPull(consent_id="v1"))
            await asyncio.sleep(0.4)
            assert portal.binaries() == []
            assert stream_threads() == []

            # A stream for another purpose is not this view's.
            await portal.send(
                RelayOpened(stream_id=7, role="send", kinds=[SCREEN_UPDATE], purpose="call:v1")
            )
            await asyncio.sleep(0.2)
            assert portal.frames("screen.status") == []

            await portal.send(
                RelayOpened(
                    stream_id=STREAM_ID,
                    role="send",
                    kinds=[SCREEN_UPDATE],
                    purpose="screen-view:v1",
                )
            )
            status = await portal.wait_for(lambda: portal.frames("screen.status"))
            assert status[0]["state"] == "sharing"
            assert status[0]["control"] is False
            frame = await pull_one(portal, keyframe=True)
            assert frame.kind == SCREEN_UPDATE and frame.stream_id == STREAM_ID
            update = decode_update(frame.payload)
            assert update.keyframe and (update.width, update.height) == (1920, 1080)
            # The status says the picture's size once it is known.
            sized = await portal.wait_for(
                lambda: [s for s in portal.frames("screen.status") if s["width"]]
            )
            assert (sized[0]["width"], sized[0]["height"], sized[0]["state"]) == (
                1920,
                1080,
                "sharing",
            )

    asyncio.run(scenario())


def test_one_window_is_shared_alone(x_display, desktop, tmp_path):
    window = desktop.window("Notes for the expert", 200, 150, 640, 400, colour="#20a040")
    wanted = desktop.until(
        lambda: next((w for w in engine.list_windows() if w.title == "Notes for the expert"), None)
    )
    assert wanted is not None

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            choice = Answer(True, "window", {"window_id": wanted.id})
            await grant_view(portal, device, answer=choice)
            assert portal.frames("screen.status")[0]["choice"] == "window"
            update = decode_update((await pull_one(portal, keyframe=True)).payload)
            assert (update.width, update.height) == (window.winfo_width(), window.winfo_height())

    asyncio.run(scenario())


def test_stopping_ends_the_frames_within_250_ms(x_display, desktop, tmp_path):
    """The viewer keeps pulling while the picture keeps changing; the customer stops."""
    box = desktop.window("Changing", 100, 100, 300, 200)
    colours = iter(["#c03030", "#30c030", "#3030c0"] * 1000)

    def change():
        box.configure(background=next(colours))
        desktop.pump(0)

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            after = 0
            for _ in range(5):
                change()
                frame = await pull_one(portal, after=after)
                after = frame.seq
            # Pulls keep coming, and the picture keeps changing, while the customer stops.
            pulling = True

            async def keep_pulling():
                nonlocal after
                while pulling:
                    change()
                    await portal.send(ScreenPull(consent_id="v1", after_frame=after))
                    await asyncio.sleep(0.01)

            puller = asyncio.create_task(keep_pulling())
            await asyncio.sleep(0.2)
            stopped_at = time.monotonic()
            assert await device.consent.revoke("v1")
            await asyncio.sleep(1.0)
            pulling = False
            await puller

            frames = portal.binaries()
            late = [r.at - stopped_at for r in frames if r.at > stopped_at]
            assert all(delay < 0.25 for delay in late), late
            assert stream_threads() == [] or all(not t.is_alive() for t in stream_threads())
            assert portal.frames("consent.revoke") == [
                {"type": "consent.revoke", "consent_id": "v1"}
            ]
            states = [s["state"] for s in portal.frames("screen.status")]
            assert states[-1] == "stopped"
            assert device.outcomes["v1"] == "revoked"

    asyncio.run(scenario())


def _held(key: str) -> bool:
    """Whether the X server has the key down (what a stuck modifier would show)."""
    from Xlib import XK
    from Xlib.display import Display

    display = Display()
    try:
        code = display.keysym_to_keycode(XK.string_to_keysym(key))
        keymap = display.query_keymap()
        return bool(keymap[code // 8] & (1 << (code % 8)))
    finally:
        display.close()


def form_with_entry(desktop):
    """A white window at the top left with an entry field that has the keyboard."""
    import tkinter

    window = desktop.window("Form", 0, 0, 600, 300, colour="#ffffff")
    entry = tkinter.Entry(window)
    entry.pack(padx=20, pady=20)
    desktop.settle()
    entry.focus_force()
    desktop.pump(0.2)
    return entry


def test_input_only_under_control_and_taking_it_back_lets_go_of_keys(x_display, desktop, tmp_path):
    entry = form_with_entry(desktop)
    typed = [{"kind": "pointer", "action": "click", "x": 60, "y": 30}]
    typed.append({"kind": "key", "action": "text", "text": "abc"})

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            await pull_one(portal)  # the stream knows where the picture is

            # A view alone: the input is ignored.
            await portal.send(ScreenInput(consent_id="v1", events=typed))
            for _ in range(25):
                desktop.pump(0.02)
                await asyncio.sleep(0)
            assert entry.get() == ""

            # Control without a view it belongs to is declined without asking anyone.
            await portal.send(consent_request("c0", "control", parent_id="nope"))
            await portal.wait_for(
                lambda: [a for a in portal.frames("consent.answer") if a["consent_id"] == "c0"]
            )
            assert "c0" not in device.questions

            await portal.send(consent_request("c1", "control", parent_id="v1"))
            await portal.wait_for(lambda: "c1" in device.questions)
            device.answer("c1", True)
            await portal.wait_for(
                lambda: [s for s in portal.frames("screen.status") if s["control"]]
            )
            await portal.send(ScreenInput(consent_id="v1", events=typed))
            await portal.wait_for(lambda: entry.get() == "abc", tick=lambda: desktop.pump(0))

            # The expert holds Shift down; the customer takes back control.
            await portal.send(
                ScreenInput(
                    consent_id="v1", events=[{"kind": "key", "action": "down", "key": "shift"}]
                )
            )
            await portal.wait_for(lambda: _held("Shift_L"), tick=lambda: desktop.pump(0))
            assert await device.consent.revoke("c1")
            await portal.wait_for(lambda: not _held("Shift_L"), tick=lambda: desktop.pump(0))
            assert portal.frames("screen.status")[-1]["control"] is False
            # And what comes after is ignored again, while the view goes on.
            await portal.send(
                ScreenInput(
                    consent_id="v1", events=[{"kind": "key", "action": "text", "text": "x"}]
                )
            )
            for _ in range(25):
                desktop.pump(0.02)
                await asyncio.sleep(0)
            assert entry.get() == "abc"
            assert device.share.session("v1").sharing

    asyncio.run(scenario())


def test_taking_back_control_mid_typing_stops_the_keys_within_250_ms(x_display, desktop, tmp_path):
    """The helper types on and on, a key every 10 ms; the customer takes back control. No
    key reaches the screen later than 250 ms after that (the times are when the window got
    each key: later than it arrived, never earlier), and the view goes on."""
    entry = form_with_entry(desktop)
    arrivals: list[float] = []
    entry.bind("<KeyPress>", lambda _event: arrivals.append(time.monotonic()), add="+")
    into_the_entry = {"kind": "pointer", "action": "click", "x": 60, "y": 30}
    one_key = {"kind": "key", "action": "text", "text": "a"}

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            await pull_one(portal)
            await portal.send(consent_request("c1", "control", parent_id="v1"))
            await portal.wait_for(lambda: "c1" in device.questions)
            device.answer("c1", True)
            await portal.wait_for(
                lambda: [s for s in portal.frames("screen.status") if s["control"]]
            )
            await portal.send(ScreenInput(consent_id="v1", events=[into_the_entry]))
            typing = True

            async def keep_typing():
                while typing:
                    await portal.send(ScreenInput(consent_id="v1", events=[one_key]))
                    desktop.pump(0)
                    await asyncio.sleep(0.01)

            typist = asyncio.create_task(keep_typing())
            await portal.wait_for(lambda: len(arrivals) >= 10, tick=lambda: desktop.pump(0))
            taken_back_at = time.monotonic()
            assert await device.consent.revoke("c1")
            until = taken_back_at + 1.0
            while time.monotonic() < until:
                desktop.pump(0)
                await asyncio.sleep(0.005)
            typing = False
            await typist

            late = [at - taken_back_at for at in arrivals if at > taken_back_at]
            assert all(delay < 0.25 for delay in late), late
            assert len(entry.get()) == len(arrivals) >= 10
            assert device.share.session("v1").sharing

    asyncio.run(scenario())


def test_the_server_closing_the_consent_or_a_lost_connection_stops_sharing(x_display, tmp_path):
    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            await pull_one(portal)
            await portal.send(
                ConsentClosedFrame(
                    consent_id="v1", kind="screen_view", status="ended", reason="withdrawn"
                )
            )
            await portal.wait_for(lambda: "v1" in device.outcomes)
            assert device.share.sessions() == []

            await grant_view(portal, device, consent_id="v2")
            await pull_one(portal, consent_id="v2")
            await portal.drop()
            await portal.wait_for(lambda: "v2" in device.outcomes)
            assert device.share.sessions() == []
            assert await device.channel.wait_connected(5)
            count = len(portal.binaries())
            await portal.wait_connected()
            await portal.send(ScreenPull(consent_id="v2", keyframe=True))
            await asyncio.sleep(0.4)
            assert len(portal.binaries()) == count  # nothing under the old consent

    asyncio.run(scenario())


def test_a_closed_stream_pauses_the_picture_until_the_server_opens_another(x_display, tmp_path):
    """The agent's tab that had the stream went away (they opened the viewer page): the
    server closed the stream and opens a fresh one when the viewer pulls. The view goes on:
    nothing is sent while no stream is open, then the picture comes on the new stream."""

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            first = await pull_one(portal, keyframe=True)
            assert first.stream_id == STREAM_ID
            await portal.send(RelayClosed(stream_id=STREAM_ID))
            count = len(portal.binaries())
            await portal.send(ScreenPull(consent_id="v1", keyframe=True))
            await asyncio.sleep(0.4)
            assert len(portal.binaries()) == count, "nothing on a closed stream"
            assert device.share.session("v1").sharing
            assert [s["state"] for s in portal.frames("screen.status")][-1] == "sharing"
            assert portal.frames("consent.revoke") == []

            await portal.send(
                RelayOpened(
                    stream_id=STREAM_ID + 1,
                    role="send",
                    kinds=[SCREEN_UPDATE],
                    purpose="screen-view:v1",
                )
            )
            frame = await pull_one(portal, after=first.seq)
            assert frame.stream_id == STREAM_ID + 1
            assert decode_update(frame.payload).keyframe  # the new viewer has no picture yet

            # Its consent's end still stops it at once.
            await portal.send(
                ConsentClosedFrame(
                    consent_id="v1", kind="screen_view", status="ended", reason="withdrawn"
                )
            )
            await portal.wait_for(lambda: "v1" in device.outcomes)
            assert device.share.sessions() == []

    asyncio.run(scenario())


def test_no_answer_in_time_is_a_refusal_and_nothing_is_captured(x_display, tmp_path):
    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await portal.send(consent_request("v1", answer_in=0.3))
            await portal.wait_for(lambda: "v1" in device.questions)
            # The server closes the unanswered request when its time is up.
            await asyncio.sleep(0.3)
            await portal.send(
                ConsentClosedFrame(consent_id="v1", kind="screen_view", status="timed_out")
            )
            await portal.wait_for(lambda: "v1" in device.outcomes)
            assert device.outcomes["v1"] == "expired"
            assert device.questions["v1"].cancelled()  # the dialog closes
            assert portal.frames("consent.answer") == []
            await portal.send(ScreenPull(consent_id="v1"))
            await asyncio.sleep(0.3)
            assert portal.binaries() == [] and stream_threads() == []

    asyncio.run(scenario())


def test_a_desktop_that_cannot_be_shared_declines_without_asking(x_display, tmp_path, monkeypatch):
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await portal.send(consent_request("v1"))
            await portal.wait_for(lambda: portal.frames("consent.answer"))
            (answer,) = portal.frames("consent.answer")
            assert answer["granted"] is False and answer["reason"] == "unsupported"
            assert device.questions == {}
            assert device.outcomes["v1"] == "unavailable:wayland"

    asyncio.run(scenario())


@pytest.mark.parametrize("choice", [None, "window"])
def test_a_view_granted_without_a_valid_choice_is_refused_by_the_desk(choice):
    """The desk (between the page and the flow) takes "screen", or "window" with a window
    it listed; anything else leaves the question open and says what is wrong."""
    from datetime import UTC, datetime, timedelta

    from assistant.escalation.consent import Question
    from assistant.escalation.desk import LiveDesk

    desk = LiveDesk(premium=None, language=lambda: "en", run_checks=None, describe_checks=None)
    question = Question(
        consent_id="v1",
        kind="screen_view",
        requester_name="Erik Expert",
        requester_role="expert",
        reason="",
        items=[],
        answer_by=datetime.now(UTC) + timedelta(minutes=2),
        lasts_seconds=None,
    )

    async def scenario():
        task = asyncio.create_task(desk._ask_consent(question))
        await asyncio.sleep(0.01)
        (asked,) = desk.questions
        with pytest.raises(ValueError):
            desk.answer_consent(asked.id, True, choice=choice, window_id="12345")
        assert not asked.answer.done()
        assert desk.answer_consent(asked.id, False)
        assert await task is False

    asyncio.run(scenario())


def test_the_privacy_list_and_the_indicator_are_black_in_the_picture(x_display, desktop, tmp_path):
    import numpy
    import simplejpeg

    from isp_common.screen_wire import Encoding

    desktop.window("Online-Banking – Sparkasse", 100, 100, 400, 300, colour="#ffffff")
    desktop.window("Notes", 800, 100, 400, 300, colour="#ffffff")
    indicator = (1400, 600, 300, 200)  # where the indicator window would be

    async def scenario():
        async with connected(tmp_path) as (portal, device):
            device.share.privacy_titles = lambda: ["online-banking"]
            device.share.extra_rects = lambda: [indicator]
            await grant_view(portal, device)
            update = decode_update((await pull_one(portal, keyframe=True)).payload)
            picture = numpy.zeros((update.height, update.width, 3), dtype=numpy.uint8)
            for rect in update.rects:
                area = picture[rect.y : rect.y + rect.height, rect.x : rect.x + rect.width]
                if rect.encoding is Encoding.jpeg:
                    area[:] = simplejpeg.decode_jpeg(rect.data, colorspace="RGB")
                elif rect.encoding is Encoding.solid:
                    area[:] = rect.colour
            return picture

    picture = asyncio.run(scenario())
    banking = picture[110:390, 110:490]
    notes = picture[110:390, 810:1190]
    hidden_indicator = picture[610:790, 1410:1690]
    assert banking.max() < 40, "a window on the privacy list is blacked out"
    assert hidden_indicator.max() < 40, "the indicator is blacked out"
    assert notes.min() > 200, "other windows are shared as they are"


@pytest.mark.parametrize("reason", ["signed_out", "assistant_closed", "chat_ended"])
def test_signing_out_closing_or_the_chat_ending_stops_and_tells_the_server(
    x_display, tmp_path, reason
):
    async def scenario():
        async with connected(tmp_path) as (portal, device):
            await grant_view(portal, device)
            await pull_one(portal)
            if reason == "chat_ended":
                assert device.share.stop("v1", reason)
            else:
                await device.share.stop_all(reason)  # what LiveHelp.stop does first
            await portal.wait_for(lambda: portal.frames("consent.revoke"))
            assert portal.frames("screen.status")[-1]["state"] == "stopped"
            await portal.wait_for(lambda: "v1" in device.outcomes)
            assert device.outcomes["v1"] == reason
            count = len(portal.binaries())
            await portal.send(ScreenPull(consent_id="v1", keyframe=True))
            await asyncio.sleep(0.3)
            assert len(portal.binaries()) == count and stream_threads() == []

    asyncio.run(scenario())
