"""Screen sharing on the sockets: the viewer's `screen.pull` and `screen.input` (staff),
the device's `screen.status` and its binary `SCREEN_UPDATE` frames on the view's stream,
and what follows a screen view's grant and end, a conversation's close and a device's
disconnection."""

from __future__ import annotations

from agent_portal.realtime.registry import LiveRegistry
from agent_portal.screen_sharing import flows


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.STAFF_KINDS)
    kinds.add(flows.DEVICE_KINDS)
    kinds.add_binary(flows.DEVICE_BINARY_KINDS)
    kinds.on_consent_granted("screen_view", flows.on_view_granted)
    kinds.on_consent_closed("screen_view", flows.on_view_closed)
    kinds.on_conversation_closed(flows.on_conversation_closed)
    kinds.on_device_disconnected(flows.on_device_disconnected)
