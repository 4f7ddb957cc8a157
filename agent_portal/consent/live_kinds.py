"""The customer's answers to consent requests of every kind and their revocation, on the
device's socket."""

from __future__ import annotations

from agent_portal.consent import flows
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
