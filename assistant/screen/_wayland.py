"""Wayland: no capture the assistant can use. A Wayland compositor gives a program no
picture of other programs' windows; xdg-desktop-portal's ScreenCast would, through
PipeWire and a dialog of its own, and it is not built in yet. So sharing says plainly
that it is unavailable (`UnavailableReason.wayland`) instead of sending what an X11 grab
through XWayland would show: black wherever a Wayland program draws."""

from __future__ import annotations

from assistant.screen.platform import Platform
from isp_common.screen_wire import UnavailableReason


class WaylandPlatform(Platform):
    name = "wayland"

    def availability(self) -> UnavailableReason | None:
        return UnavailableReason.wayland
