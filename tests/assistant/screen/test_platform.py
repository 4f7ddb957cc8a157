"""Which desktop backend is used, and what the X11 one tells about windows."""

from __future__ import annotations

import pytest

from assistant.screen.platform import Platform, choose, current
from isp_common.screen_wire import UnavailableReason


@pytest.mark.parametrize(
    ("sys_platform", "environ", "backend"),
    [
        ("linux", {"DISPLAY": ":0"}, "x11"),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
        # XWayland: an X11 grab would show black where Wayland programs draw
        ("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),
        ("linux", {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "wayland"),
        ("linux", {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "x11"),
        ("linux", {}, "none"),
        ("freebsd14", {"DISPLAY": ":0"}, "x11"),
        ("win32", {}, "windows"),
        ("darwin", {}, "macos"),
    ],
)
def test_the_backend_follows_the_os_and_the_session(sys_platform, environ, backend):
    assert choose(sys_platform, environ) == backend


def test_a_wayland_session_says_sharing_is_unavailable_and_why():
    platform = current("linux", {"WAYLAND_DISPLAY": "wayland-0"})
    assert platform.availability() is UnavailableReason.wayland
    assert platform.list_windows() == []
    assert platform.exclude_from_capture(1234) is False


def test_without_any_display_it_says_so():
    platform = current("linux", {})
    assert type(platform) is Platform
    assert platform.availability() is UnavailableReason.no_display


def test_an_x11_display_that_is_not_there_is_no_display():
    platform = current("linux", {"DISPLAY": ":4077"})
    assert platform.availability() is UnavailableReason.no_display


@pytest.mark.desktop
def test_x11_can_share_and_lists_the_visible_windows_with_titles_and_places(x11, desktop):
    assert x11.availability() is None
    desktop.window("Rechnung März – Grüße", 100, 120, 400, 300)
    hidden = desktop.window("Versteckt", 600, 120, 200, 200)
    hidden.withdraw()
    desktop.settle()
    listed = {window.title: window for window in x11.list_windows()}
    assert "Versteckt" not in listed
    window = listed["Rechnung März – Grüße"]
    assert (window.x, window.y, window.width, window.height) == (100, 120, 400, 300)
    assert x11.window_place(window.id).shown


@pytest.mark.desktop
def test_x11_follows_a_moved_window_and_knows_when_it_is_closed(x11, desktop):
    opened = desktop.window("Wandert", 50, 60, 300, 200)
    (window,) = [w for w in x11.list_windows() if w.title == "Wandert"]
    opened.geometry("320x210+700+400")
    desktop.settle()
    place = x11.window_place(window.id)
    assert place.shown and tuple(place.area) == (700, 400, 320, 210)
    opened.withdraw()  # unmapped, as a window manager does when it minimises one
    desktop.settle()
    assert not x11.window_place(window.id).shown
    opened.destroy()
    desktop.settle()
    assert x11.window_place(window.id) is None


@pytest.mark.desktop
def test_x11_cannot_keep_a_window_out_of_the_grab_so_it_says_false(x11, desktop):
    desktop.window("Anzeige", 10, 10, 100, 40)
    (window,) = [w for w in x11.list_windows() if w.title == "Anzeige"]
    assert x11.exclude_from_capture(window.id) is False


@pytest.mark.desktop
def test_x11_knows_where_the_pointer_is(x11):
    from pynput.mouse import Controller

    Controller().position = (321, 654)
    assert x11.cursor_position() == (321, 654)


def test_each_desktop_backend_offers_the_whole_interface():
    """The contract, as psutil checks its backends: the Windows and macOS modules load on
    any OS (their system calls only run there) and answer every question themselves;
    Wayland and "no display" answer with the base class' refusals."""
    from assistant.screen._macos import MacPlatform
    from assistant.screen._wayland import WaylandPlatform
    from assistant.screen._windows import WindowsPlatform
    from assistant.screen._x11 import X11Platform

    interface = [
        "availability",
        "list_windows",
        "window_place",
        "exclude_from_capture",
        "cursor_position",
        "injector",
    ]
    for backend in (X11Platform, WindowsPlatform, MacPlatform):
        missing = [name for name in interface if name not in vars(backend)]
        assert missing == [], f"{backend.__name__} lacks {missing}"
    assert [name for name in interface if name in vars(WaylandPlatform)] == ["availability"]


def test_macos_without_pyobjc_lists_nothing_and_has_the_indicator_masked():
    from assistant.screen._macos import MacPlatform

    platform = MacPlatform()
    assert platform.list_windows() == []
    assert platform.exclude_from_capture(0x1234) is False  # the caller masks it


def window_id(x11, title: str) -> int:
    (found,) = [w.id for w in x11.list_windows() if w.title == title]
    return found


def set_user_time(x11, window: int) -> None:
    """A property the window list does not show, changed as programs do on every key."""
    from Xlib import Xatom

    display = x11._connection()
    atom = display.intern_atom("_NET_WM_USER_TIME")
    display.create_resource_object("window", window).change_property(
        atom, Xatom.CARDINAL, 32, [12345]
    )
    display.sync()


def places(x11) -> dict[str, tuple[int, int, int, int]]:
    return {w.title: (w.x, w.y, w.width, w.height) for w in x11.list_windows()}


@pytest.mark.desktop
def test_x11_watched_window_list_is_never_behind_and_read_again_only_after_a_change(x11, desktop):
    with x11.windows_watched():
        watch = x11._watch
        before = places(x11)
        reads = watch.lists_read
        assert places(x11) == before and watch.lists_read == reads  # nothing changed
        opened = desktop.window("Notizen", 100, 120, 300, 200)
        assert places(x11)["Notizen"] == (100, 120, 300, 200)  # the first listing after
        reads = watch.lists_read
        desktop.window("Darunter", 900, 120, 300, 200).lower()
        desktop.settle()
        assert "Darunter" in places(x11) and watch.lists_read > reads
        opened.title("Online-Banking | Sparkasse")
        desktop.settle()
        listed = places(x11)
        assert listed["Online-Banking | Sparkasse"] == (100, 120, 300, 200)
        assert "Notizen" not in listed
        opened.geometry("320x210+700+400")
        desktop.settle()
        assert places(x11)["Online-Banking | Sparkasse"] == (700, 400, 320, 210)
        opened.withdraw()
        desktop.settle()
        assert "Online-Banking | Sparkasse" not in places(x11)
        opened.deiconify()
        desktop.settle()
        assert places(x11)["Online-Banking | Sparkasse"] == (700, 400, 320, 210)
        reads = watch.lists_read
        set_user_time(x11, window_id(x11, "Online-Banking | Sparkasse"))  # as on each key
        assert "Online-Banking | Sparkasse" in places(x11) and watch.lists_read == reads
        opened.destroy()
        desktop.settle()
        assert "Online-Banking | Sparkasse" not in places(x11)
    assert x11._watch is None  # the last watcher left: the connection is closed


@pytest.mark.desktop
def test_x11_watch_is_shared_and_ends_with_the_last_watcher(x11, desktop):
    desktop.window("Notizen", 100, 120, 300, 200)
    with x11.windows_watched():
        watch = x11._watch
        with x11.windows_watched():
            assert x11._watch is watch
        assert x11._watch is watch and "Notizen" in places(x11)
    assert x11._watch is None
    assert "Notizen" in places(x11)  # asked for window by window again


@pytest.mark.desktop
def test_x11_watched_list_follows_windows_inside_a_window_managers_frames(x11, x_display):
    """As under a window manager: the client window sits in a frame (and a decoration
    window inside it) and is named in the root's `_NET_CLIENT_LIST`. Moving the frame or the
    window between, or unmapping the frame, changes the list at once."""
    from Xlib import X, Xatom
    from Xlib.display import Display

    manager = Display(x_display)
    root = manager.screen().root
    client_list = manager.intern_atom("_NET_CLIENT_LIST")
    frame = root.create_window(50, 60, 400, 300, 0, X.CopyFromParent)
    decoration = frame.create_window(0, 0, 400, 300, 0, X.CopyFromParent)
    client = decoration.create_window(5, 20, 300, 200, 0, X.CopyFromParent)
    try:
        client.set_wm_name("Notizen")
        for window in (client, decoration, frame):
            window.map()
        root.change_property(client_list, Xatom.WINDOW, 32, [client.id])
        manager.sync()
        with x11.windows_watched():
            assert places(x11) == {"Notizen": (55, 80, 300, 200)}
            frame.configure(x=500, y=400)
            manager.sync()
            assert places(x11) == {"Notizen": (505, 420, 300, 200)}
            decoration.configure(x=10, y=5)  # only the window between moves
            manager.sync()
            assert places(x11) == {"Notizen": (515, 425, 300, 200)}
            client.set_wm_name("Onlinebanking - Volksbank")
            manager.sync()
            assert places(x11) == {"Onlinebanking - Volksbank": (515, 425, 300, 200)}
            frame.unmap()
            manager.sync()
            assert places(x11) == {}
            frame.map()
            manager.sync()
            assert places(x11) == {"Onlinebanking - Volksbank": (515, 425, 300, 200)}
            root.change_property(client_list, Xatom.WINDOW, 32, [])
            manager.sync()
            assert "Onlinebanking - Volksbank" not in places(x11)  # the frame has no name
    finally:
        root.delete_property(client_list)
        frame.destroy()
        manager.close()
