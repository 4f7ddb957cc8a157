"""The device's report for a diagnostics request, on its socket; the request itself is a
consent of the kind report, answered with consent's frames (`consent.live_kinds`)."""

from __future__ import annotations

from agent_portal.realtime.registry import LiveRegistry
from agent_portal.remote_diagnostics import flows


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
