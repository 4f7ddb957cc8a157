"""Remote control: the viewer's `screen.input` events injected on the customer's
computer, through pynput (XTest on X11, SendInput on Windows, Quartz events on macOS).

    injector = platform.injector()            # or Injector(blocked=[...])
    result = injector.inject(events, area)    # area: where the shared picture is
    result.refused                            # what was not injected, and why
    injector.release_all()                    # control taken back: let go of everything

Coordinates: an event's x, y are pixels of the shared picture; `area` (the picture's
place on the screen, `ScreenStream.area`) turns them into screen pixels: the picture's
origin for a whole-screen share over several monitors, the window's corner for a window.
A pointer event outside the picture is refused (a window share reaches nothing else).

Keys are named as the browser's `KeyboardEvent.key` names them ("Enter", "ArrowLeft",
"PageDown", "F5", "a", "Delete"...), case does not matter. Combinations in `blocked` are
never injected, whether the modifiers come with the event or are held by earlier `down`
events; the defaults lock the screen, log out or end the graphical session.

Wheel: `dy` > 0 scrolls down (the page moves up), `dx` > 0 scrolls right, in notches, as
the browser's `WheelEvent.deltaY` counts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.screen.areas import Area
from isp_common.screen_wire import KeyEvent, PointerEvent

DEFAULT_BLOCKED = (
    "ctrl+alt+delete",  # Windows' secure attention screen; reboots a Linux console
    "ctrl+alt+backspace",  # ends the X server, and every program with it
    "ctrl+alt+l",  # locks the screen (GNOME, KDE, Xfce)
    "meta+l",  # locks the screen (Windows, GNOME, KDE)
    "ctrl+meta+q",  # locks the screen (macOS)
    "meta+shift+q",  # logs out (macOS)
    "ctrl+alt+end",  # ctrl+alt+delete inside a remote desktop session
    *(f"ctrl+alt+f{number}" for number in range(1, 13)),  # switches to a text console
)
MODIFIERS = ("ctrl", "alt", "shift", "meta")
_MODIFIER_NAMES = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "alt": "alt",
    "option": "alt",
    "shift": "shift",
    "meta": "meta",
    "cmd": "meta",
    "command": "meta",
    "super": "meta",
    "win": "meta",
    "os": "meta",
}
_NAMED_KEYS = {
    "enter": "enter",
    "return": "enter",
    "tab": "tab",
    "escape": "esc",
    "esc": "esc",
    "backspace": "backspace",
    "delete": "delete",
    "del": "delete",
    "insert": "insert",
    "home": "home",
    "end": "end",
    "pageup": "page_up",
    "pagedown": "page_down",
    "arrowup": "up",
    "arrowdown": "down",
    "arrowleft": "left",
    "arrowright": "right",
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
    " ": "space",
    "space": "space",
    "spacebar": "space",
    "capslock": "caps_lock",
    "contextmenu": "menu",
    "printscreen": "print_screen",
    "pause": "pause",
    "numlock": "num_lock",
    "scrolllock": "scroll_lock",
    **{f"f{number}": f"f{number}" for number in range(1, 21)},
}


class RefusalReason(StrEnum):
    blocked = "blocked"  # a combination that is never injected
    outside = "outside"  # a pointer event outside the shared picture
    unknown_key = "unknown_key"  # a key name this computer has no key for


@dataclass(frozen=True)
class Refusal:
    index: int  # of the event in the list given to `inject`
    reason: RefusalReason
    detail: str = ""  # e.g. "ctrl+alt+delete"


@dataclass
class InjectionResult:
    injected: int = 0
    refused: list[Refusal] = field(default_factory=list)


def key_name(name: str) -> str | None:
    """The canonical name of a key ("ctrl", "enter", "f4", "a", "ä"), None if unknown."""
    lowered = name.lower()
    if lowered in _MODIFIER_NAMES:
        return _MODIFIER_NAMES[lowered]
    compact = lowered if lowered == " " else lowered.replace("_", "").replace("-", "")
    if compact in _NAMED_KEYS:
        return _NAMED_KEYS[compact]
    if len(name) == 1 and name.isprintable():
        return lowered
    return None


def parse_combination(text: str) -> tuple[frozenset[str], str]:
    """ "ctrl+alt+delete" -> ({"ctrl", "alt"}, "delete")."""
    *modifiers, key = [part.strip() for part in text.split("+")]
    canonical = key_name(key)
    names = [key_name(modifier) for modifier in modifiers]
    if canonical is None or any(name not in MODIFIERS for name in names):
        raise ValueError(f"Not a key combination: {text!r}")
    return frozenset(names), canonical  # type: ignore[arg-type]


class Injector:
    """Injects input through pynput; thread-safe (one event list at a time)."""

    def __init__(self, blocked: Iterable[str] | None = None) -> None:
        self.blocked = [
            parse_combination(c) for c in (DEFAULT_BLOCKED if blocked is None else blocked)
        ]
        self._lock = threading.RLock()
        self._held_keys: dict[str, object] = {}  # canonical name -> pynput key
        self._held_buttons: set[object] = set()
        self._mouse = None
        self._keyboard = None

    # --- pynput, created on first use (it connects to the display) --------------------

    def _controllers(self):
        if self._mouse is None:
            from pynput import keyboard, mouse

            self._mouse, self._keyboard = mouse.Controller(), keyboard.Controller()
        return self._mouse, self._keyboard

    def _pynput_key(self, name: str):
        from pynput.keyboard import Key, KeyCode

        if name in MODIFIERS:
            return {"ctrl": Key.ctrl, "alt": Key.alt, "shift": Key.shift, "meta": Key.cmd}[name]
        if len(name) == 1:
            return KeyCode.from_char(name)
        return getattr(Key, name, None)

    def _type_text(self, text: str) -> None:
        """Types `text` as it is; backends with a better way override this."""
        self._controllers()[1].type(text)

    # --- the public part ----------------------------------------------------------------

    def inject(self, events: Sequence[PointerEvent | KeyEvent], area: Area) -> InjectionResult:
        result = InjectionResult()
        with self._lock:
            for index, event in enumerate(events):
                refusal = (
                    self._pointer(event, area)
                    if isinstance(event, PointerEvent)
                    else self._key(event)
                )
                if refusal is None:
                    result.injected += 1
                else:
                    reason, detail = refusal
                    result.refused.append(Refusal(index, reason, detail))
        return result

    def release_all(self) -> None:
        """Lets go of every key and button an event held down."""
        with self._lock:
            if self._mouse is None:
                return
            mouse, keyboard = self._controllers()
            for button in list(self._held_buttons):
                mouse.release(button)
            for key in list(self._held_keys.values()):
                keyboard.release(key)
            self._held_buttons.clear()
            self._held_keys.clear()

    def close(self) -> None:
        """Lets go of everything and disconnects from the display."""
        self.release_all()
        with self._lock:
            self._mouse = self._keyboard = None  # pynput disconnects as they go

    # --- events ---------------------------------------------------------------------------

    def _pointer(self, event: PointerEvent, area: Area):
        if not (0 <= event.x < area.width and 0 <= event.y < area.height):
            return RefusalReason.outside, f"{event.x},{event.y}"
        from pynput.mouse import Button

        mouse, _ = self._controllers()
        button = getattr(Button, event.button.value)
        mouse.position = (area.left + event.x, area.top + event.y)
        if event.action == "down":
            mouse.press(button)
            self._held_buttons.add(button)
        elif event.action == "up":
            mouse.release(button)
            self._held_buttons.discard(button)
        elif event.action in ("click", "double_click"):
            mouse.click(button, 2 if event.action == "double_click" else 1)
        elif event.action == "wheel":
            mouse.scroll(event.dx, -event.dy)
        return None

    def _key(self, event: KeyEvent):
        held = {name for name in self._held_keys if name in MODIFIERS}
        modifiers = held | set(event.modifiers)
        if event.action == "text":
            for char in event.text:
                combination = self._blocked_combination(modifiers, key_name(char) or "")
                if combination:
                    return RefusalReason.blocked, combination
            self._type_text(event.text)
            return None
        name = key_name(event.key)
        key = self._pynput_key(name) if name else None
        if key is None:
            return RefusalReason.unknown_key, event.key
        combination = self._blocked_combination(modifiers, name)
        if combination and event.action != "up":
            return RefusalReason.blocked, combination
        _, keyboard = self._controllers()
        if event.action == "down":
            keyboard.press(key)
            self._held_keys[name] = key
        elif event.action == "up":
            keyboard.release(key)
            self._held_keys.pop(name, None)
        else:
            extra = [
                self._pynput_key(m) for m in MODIFIERS if m in event.modifiers and m not in held
            ]
            for modifier in extra:
                keyboard.press(modifier)
            try:
                keyboard.press(key)
                keyboard.release(key)
            finally:
                for modifier in reversed(extra):
                    keyboard.release(modifier)
        return None

    def _blocked_combination(self, modifiers: set[str], key: str) -> str | None:
        for needed, blocked_key in self.blocked:
            if key == blocked_key and needed <= modifiers:
                return "+".join([m for m in MODIFIERS if m in needed] + [blocked_key])
        return None
