"""Escalation's message kinds: the assistant's `offer.answer`."""

from __future__ import annotations

from agent_portal.escalation import flows
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
