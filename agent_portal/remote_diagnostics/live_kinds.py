"""The device's answers to diagnostics requests, on its socket, and what the domain does
when a request (a consent of the kind report) closes."""

from __future__ import annotations

from agent_portal.realtime.registry import LiveRegistry
from agent_portal.remote_diagnostics import flows


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
    kinds.on_consent_closed("report", flows.on_report_closed)
