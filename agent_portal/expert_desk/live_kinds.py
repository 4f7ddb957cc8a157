"""The expert's desk's message kinds: the assistant's `prechat.start`."""

from __future__ import annotations

from agent_portal.expert_desk import flows
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
