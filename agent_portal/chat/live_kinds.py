"""The chat's message kinds on both sockets, and its hook on staff presence (an agent who
comes online may take waiting conversations)."""

from __future__ import annotations

from agent_portal.chat import channel_handlers, flows, staff_handlers
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add(channel_handlers.DEVICE_KINDS)
    kinds.add(staff_handlers.STAFF_KINDS)
    kinds.on_staff_presence(flows.on_staff_presence)
