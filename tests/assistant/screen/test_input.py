"""Remote control into real X11 windows (Tk): clicks land where the expert clicked in the
shared picture, German text arrives as typed, and combinations that lock the screen or
log out are never injected."""

from __future__ import annotations

import tkinter

import pytest

from assistant.screen.areas import Area
from assistant.screen.input import Injector, RefusalReason, key_name, parse_combination
from isp_common.screen_wire import KeyEvent, PointerEvent

SCREEN = Area(0, 0, 1920, 1080)


def click(x, y, **fields):
    return PointerEvent(action="click", x=x, y=y, **fields)


def press(key, *modifiers):
    return KeyEvent(action="press", key=key, modifiers=list(modifiers))


def test_key_names_are_the_browsers_and_combinations_parse():
    assert key_name("ArrowLeft") == "left"
    assert key_name("PageDown") == "page_down"
    assert key_name("Control") == "ctrl"
    assert key_name("Ä") == "ä"
    assert key_name(" ") == "space"
    assert key_name("F12") == "f12"
    assert key_name("Hyperdrive") is None
    assert parse_combination("Ctrl+Alt+Delete") == (frozenset({"ctrl", "alt"}), "delete")
    with pytest.raises(ValueError):
        parse_combination("ctrl+hyperdrive")


@pytest.fixture
def injector(x11):
    made = x11.injector()
    yield made
    made.close()


@pytest.fixture
def form(desktop):
    """A window with a text field; records the clicks and keys it gets."""
    window = desktop.window("Formular", 300, 200, 600, 400)
    entry = tkinter.Entry(window, width=60)
    entry.place(x=20, y=20)
    got: dict[str, list] = {"clicks": [], "keys": [], "wheel": []}
    window.bind("<Button-1>", lambda e: got["clicks"].append((e.x_root, e.y_root)), add=True)
    entry.bind("<Button-1>", lambda e: got["clicks"].append((e.x_root, e.y_root)), add=True)
    entry.bind("<KeyPress>", lambda e: got["keys"].append((e.keysym, e.state & 0x4)))
    for number in (4, 5):
        window.bind(f"<Button-{number}>", lambda e, n=number: got["wheel"].append(n))
    desktop.settle()
    return window, entry, got


def test_a_click_lands_where_it_was_in_the_shared_window_and_german_text_arrives(
    x11, desktop, injector, form
):
    window, entry, got = form
    (shared,) = [w for w in x11.list_windows() if w.title == "Formular"]
    area = shared.area  # a one-window share: the picture's (0, 0) is the window's corner
    result = injector.inject([click(40, 30)], area)
    assert result.injected == 1 and not result.refused
    assert desktop.until(lambda: got["clicks"])
    assert got["clicks"][-1] == (340, 230)
    assert desktop.until(lambda: entry.focus_get() is entry)

    text = "Grüße, Jörg – 10 € ß"
    result = injector.inject([KeyEvent(action="text", text=text)], area)
    assert result.injected == 1
    assert desktop.until(lambda: entry.get() == text), entry.get()

    injector.inject([press("a", "ctrl"), press("BackSpace")], area)  # Tk: ctrl+a to start
    assert desktop.until(lambda: ("a", 4) in got["keys"]), got["keys"][-6:]


def test_a_whole_screen_share_maps_the_picture_onto_the_screen_and_refuses_outside(
    desktop, injector, form
):
    window, entry, got = form
    result = injector.inject([click(350, 240)], SCREEN)
    assert result.injected == 1
    assert desktop.until(lambda: (350, 240) in got["clicks"])
    # A picture whose origin is left of the primary monitor (a monitor on the left).
    result = injector.inject([click(2270, 245)], Area(-1920, 0, 3840, 1080))
    assert desktop.until(lambda: (350, 245) in got["clicks"])

    result = injector.inject([click(600, 10), click(10, 10)], Area(300, 200, 600, 400))
    assert [(r.index, r.reason) for r in result.refused] == [(0, RefusalReason.outside)]
    assert result.injected == 1


def test_the_wheel_scrolls_down_for_positive_dy(desktop, injector, form):
    window, entry, got = form
    injector.inject([PointerEvent(action="wheel", x=500, y=400, dy=2)], SCREEN)
    assert desktop.until(lambda: got["wheel"] == [5, 5])
    injector.inject([PointerEvent(action="wheel", x=500, y=400, dy=-1)], SCREEN)
    assert desktop.until(lambda: got["wheel"] == [5, 5, 4])


def test_combinations_that_lock_or_log_out_are_refused_and_not_injected(desktop, injector, form):
    window, entry, got = form
    injector.inject([click(350, 230)], SCREEN)
    assert desktop.until(lambda: entry.focus_get() is entry)
    desktop.pump(0.1)
    got["keys"].clear()
    result = injector.inject(
        [
            press("Delete", "ctrl", "alt"),
            press("l", "meta"),
            press("L", "ctrl", "alt", "shift"),  # more modifiers than listed: still refused
            KeyEvent(action="down", key="Control"),
            KeyEvent(action="down", key="Alt"),
            press("Backspace"),  # ctrl and alt held by the events before
            KeyEvent(action="text", text="ok l"),  # would be ctrl+alt+l
            KeyEvent(action="up", key="Alt"),
            KeyEvent(action="up", key="Control"),
            press("x"),
        ],
        SCREEN,
    )
    assert [(r.index, r.reason, r.detail) for r in result.refused] == [
        (0, RefusalReason.blocked, "ctrl+alt+delete"),
        (1, RefusalReason.blocked, "meta+l"),
        (2, RefusalReason.blocked, "ctrl+alt+l"),
        (5, RefusalReason.blocked, "ctrl+alt+backspace"),
        (6, RefusalReason.blocked, "ctrl+alt+l"),
    ]
    assert desktop.until(lambda: ("x", 0) in got["keys"])
    pressed = [keysym for keysym, _ in got["keys"]]
    assert not {"Delete", "l", "L", "BackSpace"} & set(pressed), pressed


def test_an_unknown_key_is_refused(injector):
    result = injector.inject([press("Hyperdrive")], SCREEN)
    assert [(r.reason, r.detail) for r in result.refused] == [
        (RefusalReason.unknown_key, "Hyperdrive")
    ]


def test_a_custom_list_of_blocked_combinations_replaces_the_defaults(desktop, form):
    window, entry, got = form
    strict = Injector(blocked=["alt+f4"])
    try:
        result = strict.inject([press("F4", "alt")], SCREEN)
        assert result.refused[0].detail == "alt+f4"
        assert strict.inject([press("l", "meta")], SCREEN).refused == []
    finally:
        strict.close()


def test_release_all_lets_go_of_held_keys_and_buttons(x11, desktop, injector, form):
    import Xlib.display

    display = Xlib.display.Display(x11.display_name)
    shift = display.keysym_to_keycode(0xFFE1)

    def held():
        keys = display.query_keymap()
        pointer = display.screen().root.query_pointer()
        key_down = bool(keys[shift // 8] & (1 << (shift % 8)))
        return key_down, bool(pointer.mask & 0x100)  # Button1Mask

    injector.inject(
        [KeyEvent(action="down", key="Shift"), PointerEvent(action="down", x=360, y=240)],
        SCREEN,
    )
    assert desktop.until(lambda: held() == (True, True))
    injector.release_all()
    assert desktop.until(lambda: held() == (False, False))
    display.close()
