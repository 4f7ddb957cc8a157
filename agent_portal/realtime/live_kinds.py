"""The live channel's own message kinds: `ping` on both sockets, a tab's `activity`, and
the binary frames of relay streams (`realtime.relay`)."""

from __future__ import annotations

from agent_portal.realtime import relay, staff_channel
from agent_portal.realtime.dispatch import device_kind
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add({"ping": device_kind(staff_channel.on_ping)})
    kinds.add(staff_channel.STAFF_KINDS)
    kinds.add_binary(relay.DEVICE_BINARY_KINDS)
    kinds.add_binary(relay.STAFF_BINARY_KINDS)
