"""Screen sharing and remote control on the customer's computer: the grab, the masks, the
encoder, the stream of updates and the input injection. The consent and the session
around them (who may look, the indicator, the customer's choices) are the caller's;
the wire is `isp_common.screen_wire`.

The API the session code calls:

    from assistant import screen

    screen.availability()            # None, or UnavailableReason (wayland, no_display)
    screen.list_windows()            # [WindowInfo(id, title, x, y, width, height)], topmost
                                     #   first: "share one window", the privacy list
    screen.exclude_from_capture(h)   # the indicator's native handle (Qt: int(winId())):
                                     #   True when the OS keeps it out of every capture;
                                     #   False: masks.hide_window(h) instead (X11)

    masks = screen.Masks(screen.current_platform())    # privacy titles by default
    masks.hide_window(window_id)     # a window the customer hides, or the indicator
    masks.show_window(window_id)
    masks.set_rectangle("name", screen.Area(x, y, w, h))   # None takes it away
    masks.set_privacy_titles([...])  # default: screen.DEFAULT_PRIVACY_TITLES
    masks.is_private(title)          # e.g. to mark such windows in the window list

    stream = screen.ScreenStream(
        screen.WholeScreen(),        # or screen.OneWindow(window_id)
        masks,                       # any callable giving [Area] to black out
        send_binary,                 # bytes -> None, thread-safe, must not block
        stream_id=relay_opened.stream_id,
        on_unavailable=callback,     # UnavailableReason -> None (window_gone...)
    )
    stream.pull(ScreenPull)          # each `screen.pull` from the viewer
    stream.area                      # Area of the picture on the screen, for input
    stream.stop()                    # afterwards no frame is sent, at once

    injector = screen.injector()     # blocked combinations: screen.DEFAULT_BLOCKED
    result = injector.inject(screen_input.events, stream.area)   # blocks for a few ms
    result.refused                   # [Refusal(index, reason, detail)] to tell the viewer
    injector.release_all()           # control taken back: let go of keys and buttons
    injector.close()                 # the view ended

Modules: `platform` picks `_x11`, `_wayland`, `_windows` or `_macos`; `capture` grabs
with mss; `masks` blacks out; `tiles`, `scroll` and `encoding` make the rectangles;
`stream` runs it all on its own thread; `input` injects through pynput. Errors are in
`errors`.
"""

from assistant.screen.areas import Area, WindowInfo
from assistant.screen.capture import OneWindow, Target, WholeScreen
from assistant.screen.errors import ScreenError, ScreenUnavailable, WindowGone
from assistant.screen.input import (
    DEFAULT_BLOCKED,
    InjectionResult,
    Injector,
    Refusal,
    RefusalReason,
)
from assistant.screen.masks import DEFAULT_PRIVACY_TITLES, Masks
from assistant.screen.platform import (
    Platform,
    availability,
    exclude_from_capture,
    injector,
    list_windows,
)
from assistant.screen.platform import current as current_platform
from assistant.screen.stream import ScreenStream

__all__ = [
    "DEFAULT_BLOCKED",
    "DEFAULT_PRIVACY_TITLES",
    "Area",
    "InjectionResult",
    "Injector",
    "Masks",
    "OneWindow",
    "Platform",
    "Refusal",
    "RefusalReason",
    "ScreenError",
    "ScreenStream",
    "ScreenUnavailable",
    "Target",
    "WholeScreen",
    "WindowGone",
    "WindowInfo",
    "availability",
    "current_platform",
    "exclude_from_capture",
    "injector",
    "list_windows",
]
