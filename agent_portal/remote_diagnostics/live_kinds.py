"""The device's answers to diagnostics requests, on its socket."""

from __future__ import annotations

from agent_portal.realtime.registry import LiveRegistry
from agent_portal.remote_diagnostics import flows


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
