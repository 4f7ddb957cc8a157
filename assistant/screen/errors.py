"""What can go wrong with screen sharing on the customer's computer.

    ScreenError
     +-- ScreenUnavailable      this desktop cannot be shared now; `reason` says why
          +-- WindowGone        the one shared window was closed (reason `window_gone`)

Each carries an `isp_common.screen_wire.UnavailableReason`, which the session code puts
into the `screen.status` it sends the viewer.
"""

from __future__ import annotations

from isp_common.screen_wire import UnavailableReason


class ScreenError(Exception):
    """Base of the screen sharing's errors."""


class ScreenUnavailable(ScreenError):
    def __init__(self, reason: UnavailableReason, detail: str = "") -> None:
        super().__init__(detail or f"Screen sharing is unavailable: {reason.value}")
        self.reason = reason


class WindowGone(ScreenUnavailable):
    def __init__(self, window_id: int) -> None:
        super().__init__(UnavailableReason.window_gone, f"Window {window_id:#x} was closed.")
        self.window_id = window_id
