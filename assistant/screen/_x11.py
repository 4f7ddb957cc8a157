"""X11 (Linux, BSD): windows through python-xlib, input through pynput and XTest.

Windows: with a window manager, its EWMH list of client windows (`_NET_CLIENT_LIST`,
in stacking order where it keeps one); without one (a bare X server), the root window's
mapped children. Titles from `_NET_WM_NAME` (UTF-8), else `WM_NAME`. While a stream runs
(`windows_watched`), the list is kept from the X server's notifications and read anew only
after a change, instead of asking for every window twice a frame (`_WindowWatch`).

X11 cannot keep a window out of a grab, so `exclude_from_capture` says False and the
caller masks the window (`Masks.hide_window`).

Typing: a character the keyboard map lacks (€ or – on a German or US layout, ä on a US
one) gets a spare keycode mapped to its keysym for the time of the typing. pynput's own
`type()` maps and remaps one keycode per character, and a program that reads its keyboard
map late then sees the wrong letter (ö for –, Ä for Ö, measured under Xvfb); here every
character of a batch has its own keycode, mapped once before the batch is typed.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Iterable, Iterator

from assistant.screen.areas import Area, WindowInfo
from assistant.screen.input import Injector
from assistant.screen.platform import Platform, WindowPlace
from isp_common.screen_wire import UnavailableReason

_SPECIAL_KEYSYMS = {"\n": 0xFF0D, "\r": 0xFF0D, "\t": 0xFF09, "€": 0x20AC}
_HIDDEN_TYPES = ("_NET_WM_WINDOW_TYPE_DESKTOP", "_NET_WM_WINDOW_TYPE_DOCK")
_WINDOW_ATOMS = ("_NET_WM_NAME", "WM_NAME", "_NET_WM_WINDOW_TYPE")  # what the list shows
POINTER_FRESH = 0.005  # seconds the pointer read with the window list is taken as current
REMAP_PAUSE = 0.1  # seconds for programs to read typed keys before keycodes are reused


class X11Platform(Platform):
    name = "x11"

    def __init__(self, display: str | None = None) -> None:
        self.display_name = display
        self._lock = threading.Lock()
        self._display = None
        self._atoms: dict[str, int] = {}  # atoms are the same on every connection
        self._watch: _WindowWatch | None = None
        self._watchers = 0

    def _atom(self, display, name: str) -> int:
        """An atom's number, asked of the server once: python-xlib asks again on every call,
        and the window list, made twice a frame while sharing, needs a few."""
        if name not in self._atoms:
            self._atoms[name] = display.intern_atom(name)
        return self._atoms[name]

    def _connection(self):
        import Xlib.display

        if self._display is None:
            self._display = Xlib.display.Display(self.display_name)
        return self._display

    def availability(self) -> UnavailableReason | None:
        import Xlib.error

        try:
            with self._lock:
                self._connection()
        except (Xlib.error.DisplayError, Xlib.error.ConnectionClosedError, OSError):
            return UnavailableReason.no_display
        return None

    def list_windows(self) -> list[WindowInfo]:
        with self._lock:
            if self._watch is not None:
                return self._watch.windows()
            display = self._connection()
            return self._list(display, display.screen().root)

    @contextlib.contextmanager
    def windows_watched(self) -> Iterator[None]:
        """While inside, the window list is kept from the X server's notifications on a
        connection of its own (see `_WindowWatch`); nested and concurrent uses share it, and
        the last to leave closes it (the server then stops sending the notifications)."""
        with self._lock:
            if self._watch is None:
                self._watch = _WindowWatch(self, self.display_name)
            self._watchers += 1
        try:
            yield
        finally:
            with self._lock:
                self._watchers -= 1
                if self._watchers == 0 and self._watch is not None:
                    self._watch.close()
                    self._watch = None

    def window_place(self, window_id: int) -> WindowPlace | None:
        import Xlib.error
        import Xlib.X

        with self._lock:
            display = self._connection()
            window = display.create_resource_object("window", window_id)
            try:
                attributes = window.get_attributes()
                area = self._area(display.screen().root, window)
            except Xlib.error.XError:
                return None
            return WindowPlace(area, attributes.map_state == Xlib.X.IsViewable)

    def exclude_from_capture(self, native_handle: int) -> bool:
        return False  # X11 has no such thing: the caller masks the window

    def cursor_position(self) -> tuple[int, int] | None:
        with self._lock:
            watch = self._watch  # a stream asks right after listing the windows
            if watch is not None and time.monotonic() - watch.pointer_at <= POINTER_FRESH:
                return watch.pointer
            pointer = self._connection().screen().root.query_pointer()
            return (pointer.root_x, pointer.root_y) if pointer.same_screen else None

    def injector(self, blocked: Iterable[str] | None = None) -> Injector:
        return X11Injector(blocked, self.display_name)

    # --- helpers, called with the lock held --------------------------------------------

    def _list(self, display, root, watch: _WindowWatch | None = None) -> list[WindowInfo]:
        """The visible top-level windows with a title, the topmost first. With `watch`, each
        window is watched before anything about it is read, so a change after the reading
        comes as a notification."""
        import Xlib.error

        found = []
        for window in reversed(self._top_levels(display, root)):
            try:
                if watch is not None:
                    watch.follow(window)
                info = self._info(display, root, window)
            except Xlib.error.XError:  # closed meanwhile
                continue
            if info is not None:
                found.append(info)
        return found

    def _top_levels(self, display, root) -> list:
        """Top-level windows, bottom of the stack first."""
        for name in ("_NET_CLIENT_LIST_STACKING", "_NET_CLIENT_LIST"):
            listed = root.get_full_property(self._atom(display, name), 0)
            if listed is not None and len(listed.value):
                return [display.create_resource_object("window", id_) for id_ in listed.value]
        return list(root.query_tree().children)

    def _info(self, display, root, window) -> WindowInfo | None:
        import Xlib.X

        attributes = window.get_attributes()
        if attributes.map_state != Xlib.X.IsViewable or attributes.override_redirect:
            return None
        kinds = window.get_full_property(self._atom(display, "_NET_WM_WINDOW_TYPE"), 0)
        hidden = {self._atom(display, name) for name in _HIDDEN_TYPES}
        if kinds is not None and hidden.intersection(kinds.value):
            return None
        title = self._title(display, window)
        if not title:
            return None
        area = self._area(root, window)
        return WindowInfo(window.id, title, area.left, area.top, area.width, area.height)

    def _title(self, display, window) -> str:
        utf8 = window.get_full_property(
            self._atom(display, "_NET_WM_NAME"), self._atom(display, "UTF8_STRING")
        )
        if utf8 is not None and utf8.value:
            value = utf8.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        name = window.get_wm_name()
        if isinstance(name, bytes):
            return name.decode("latin-1")
        return name or ""

    def _area(self, root, window) -> Area:
        geometry = window.get_geometry()
        corner = root.translate_coords(window, 0, 0)
        return Area(corner.x, corner.y, geometry.width, geometry.height)


class _WindowWatch:
    """The window list kept up to date from the X server's notifications, on a connection of
    its own: the root reports its children (created, mapped, moved, restacked, gone) and the
    window manager's client list; each top-level window, and each window between it and
    the root (a window manager's frame), reports its own changes and the changes of its
    title and type. The list is read anew only after such a notification.

    Never behind the screen: `windows()` first makes a round trip to the server. The
    server handles requests one after another and queues a notification for this
    connection when it makes the change, so every change made before the round trip (all
    that a grab finished before it can show) is read before the answer, and the list is
    read again. A window is watched before anything about it is read, so a change after
    the reading comes as a notification too."""

    def __init__(self, platform: X11Platform, display_name: str | None) -> None:
        import Xlib.display
        import Xlib.X

        self.platform = platform
        self.display = Xlib.display.Display(display_name)
        self.root = self.display.screen().root
        atom = functools.partial(platform._atom, self.display)
        self._root_atoms = {atom("_NET_CLIENT_LIST_STACKING"), atom("_NET_CLIENT_LIST")}
        self._window_atoms = {atom(name) for name in _WINDOW_ATOMS}
        self._list: list[WindowInfo] | None = None  # None: to be read anew
        self._followed: set[int] = set()  # windows (and their ancestors) watched
        self.lists_read = 0  # how often the list was read from the server
        self.pointer: tuple[int, int] | None = None  # as the last round trip found it
        self.pointer_at = float("-inf")
        self.root.change_attributes(
            event_mask=Xlib.X.SubstructureNotifyMask | Xlib.X.PropertyChangeMask
        )

    def windows(self) -> list[WindowInfo]:
        # The round trip: every change made until now is queued. It asks where the pointer
        # is, which the stream wants next (`pointer`): one round trip less per frame.
        pointer = self.root.query_pointer()
        self.pointer = (pointer.root_x, pointer.root_y) if pointer.same_screen else None
        self.pointer_at = time.monotonic()
        while self.display.pending_events():
            self._note(self.display.next_event())
        if self._list is None:
            self.lists_read += 1
            self._list = self.platform._list(self.display, self.root, self)
        return list(self._list)

    def follow(self, window) -> None:
        """Watches a top-level window and the windows between it and the root; raises
        XError when it is gone."""
        import Xlib.X

        if window.id in self._followed:
            return
        window.change_attributes(
            event_mask=Xlib.X.StructureNotifyMask | Xlib.X.PropertyChangeMask,
            onerror=_ignore_error,
        )
        parent = window.query_tree().parent  # raises when the window is gone
        while parent.id not in (self.root.id, 0) and parent.id not in self._followed:
            parent.change_attributes(event_mask=Xlib.X.StructureNotifyMask, onerror=_ignore_error)
            self._followed.add(parent.id)
            parent = parent.query_tree().parent
        self._followed.add(window.id)

    def _note(self, event) -> None:
        import Xlib.X

        if event.type in (Xlib.X.MappingNotify, Xlib.X.CreateNotify):
            return  # the keyboard map (typed text); a new window shows once it is mapped
        if event.type == Xlib.X.PropertyNotify:
            wanted = self._root_atoms if event.window.id == self.root.id else self._window_atoms
            if event.atom not in wanted:
                return  # user time, window state...: nothing the list shows
        elif event.type == Xlib.X.DestroyNotify:
            self._followed.discard(event.window.id)
        elif event.type == Xlib.X.ReparentNotify:
            self._followed.clear()  # rare: every window is watched again with its ancestors
        self._list = None

    def close(self) -> None:
        self.display.close()


def _ignore_error(error, request) -> None:
    """A window closed before it could be watched: it is left out of the list anyway."""


class X11Injector(Injector):
    """pynput for the pointer and named keys; text through keysyms mapped onto spare
    keycodes where the keyboard map lacks them (see the module's docstring)."""

    def __init__(self, blocked: Iterable[str] | None, display: str | None) -> None:
        super().__init__(blocked)
        self._display_name = display
        self._x = None
        self._borrowed: dict[int, int] = {}  # keysym -> spare keycode mapped to it

    def _xdisplay(self):
        import Xlib.display

        if self._x is None:
            self._x = Xlib.display.Display(self._display_name)
        return self._x

    def _pynput_key(self, name: str):
        """Character keys through XTest too (pynput sends them with XSendEvent, which
        many programs ignore as synthetic, Tk among them)."""
        if len(name) == 1:
            from pynput.keyboard import KeyCode

            keysym = _keysym(name)
            if keysym is not None and self._xdisplay().keysym_to_keycode(keysym):
                return KeyCode.from_vk(keysym)
        return super()._pynput_key(name)

    def _type_text(self, text: str) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        display = self._xdisplay()
        keysyms = [_keysym(char) for char in text]
        keysyms = [keysym for keysym in keysyms if keysym is not None]
        shift = display.keysym_to_keycode(0xFFE1)  # Shift_L
        index = 0
        while index < len(keysyms):
            batch, typed = self._prepare(display, keysyms[index:])
            if not typed:  # every spare keycode holds an earlier character: free them
                self._forget_borrowed(display)
                batch, typed = self._prepare(display, keysyms[index:])
                if not typed:  # no spare keycode at all: this character cannot be typed
                    index += 1
                    continue
            for keycode, shifted in batch:
                if shifted:
                    xtest.fake_input(display, X.KeyPress, shift)
                xtest.fake_input(display, X.KeyPress, keycode)
                xtest.fake_input(display, X.KeyRelease, keycode)
                if shifted:
                    xtest.fake_input(display, X.KeyRelease, shift)
            display.sync()
            index += typed
            if index < len(keysyms):
                time.sleep(REMAP_PAUSE)  # before the spare keycodes are mapped anew

    def _prepare(self, display, keysyms: list[int]) -> tuple[list[tuple[int, bool]], int]:
        """(keycode, with shift) for as many of `keysyms` as the spare keycodes allow,
        mapping those the keyboard lacks; and how many that is."""
        first = display.display.info.min_keycode
        mapping = display.get_keyboard_mapping(first, display.display.info.max_keycode - first + 1)
        on_keyboard: dict[int, tuple[int, bool]] = {}
        spare = []
        for offset, symbols in enumerate(mapping):
            for level in (1, 0):  # the unshifted one wins
                if symbols[level]:
                    on_keyboard[symbols[level]] = (first + offset, level == 1)
            if not any(symbols):
                spare.append(first + offset)
        width = len(mapping[0])
        borrowed_now: dict[int, int] = {}
        batch = []
        for keysym in keysyms:
            if keysym in on_keyboard:
                batch.append(on_keyboard[keysym])
                continue
            if keysym not in borrowed_now:
                if not spare:
                    break
                keycode = spare.pop(0)
                borrowed_now[keysym] = keycode
                display.change_keyboard_mapping(keycode, [(keysym, keysym) + (0,) * (width - 2)])
            batch.append((borrowed_now[keysym], False))
        self._borrowed.update(borrowed_now)
        if borrowed_now:
            display.sync()
        return batch, len(batch)

    def _forget_borrowed(self, display) -> None:
        """Gives the spare keycodes back to the keyboard map (empty again)."""
        if not self._borrowed:
            return
        time.sleep(REMAP_PAUSE)  # the last typed keys are read with the old map
        first = display.display.info.min_keycode
        width = len(display.get_keyboard_mapping(first, 1)[0])
        for keycode in self._borrowed.values():
            display.change_keyboard_mapping(keycode, [(0,) * width])
        display.sync()
        self._borrowed.clear()

    def close(self) -> None:
        super().close()
        with self._lock:
            if self._x is not None:
                self._forget_borrowed(self._x)
                self._x.close()
                self._x = None


def _keysym(char: str) -> int | None:
    """The X keysym that types `char`: Latin-1 keysyms are the code points, others the
    Unicode keysyms (0x1000000 + code point) every X11 toolkit understands."""
    if char in _SPECIAL_KEYSYMS:
        return _SPECIAL_KEYSYMS[char]
    code = ord(char)
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF:
        return code
    if code < 0x20 or 0x7F <= code < 0xA0:
        return None  # control characters are not typed
    return 0x1000000 | code
