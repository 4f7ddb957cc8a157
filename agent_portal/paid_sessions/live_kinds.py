"""Paid sessions' message kinds: the assistant's commands (`session.propose` …
`session.tip`, `isp_common.paid_sessions_wire`), and the state of the open sessions
sent to a device or an expert's tab as it (re)connects."""

from __future__ import annotations

from agent_portal.paid_sessions import flows
from agent_portal.realtime.registry import LiveRegistry


def register(kinds: LiveRegistry) -> None:
    kinds.add(flows.DEVICE_KINDS)
    kinds.on_device_connect(flows.on_device_connect)
    kinds.on_staff_connect(flows.on_staff_connect)
