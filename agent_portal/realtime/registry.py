"""Where the domains bring their message kinds to the live channel.

Each domain that speaks on the sockets has a module `live_kinds.py` with one function:

    def register(kinds: LiveRegistry) -> None:
        kinds.add(DEVICE_KINDS)                       # JSON kinds, by type; the rule of each
        kinds.add(STAFF_KINDS)                        #   kind says its socket
        kinds.add_binary({RELAY_DATA: device_binary_kind("relay.data", forward, ...)})
        kinds.on_staff_presence(on_staff_presence)
        kinds.on_device_connect(send_state)           # a device's socket has just opened
        kinds.on_staff_connect(send_state)            # a portal tab's socket has just opened
        kinds.on_consent_closed("screen_view", close_streams)  # a consent of that kind ended
        kinds.on_consent_granted("screen_view", open_stream)   # the customer granted one
        kinds.on_conversation_closed(end_what_it_allowed)      # a conversation closed
        kinds.on_device_disconnected(forget_streams)           # a device's socket closed

`collect()` finds every `agent_portal/<domain>/live_kinds.py` and calls it, so a new domain
touches no shared list. A kind registered twice for one socket is refused at start, naming
both domains.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from agent_portal.realtime.dispatch import BinaryKind, MessageKind

MODULE_NAME = "live_kinds"
log = logging.getLogger(__name__)


@dataclass
class LiveRegistry:
    """Every kind of message of both sockets, each with its handler and access rule."""

    device: dict[str, MessageKind] = field(default_factory=dict)
    staff: dict[str, MessageKind] = field(default_factory=dict)
    device_binary: dict[int, BinaryKind] = field(default_factory=dict)
    staff_binary: dict[int, BinaryKind] = field(default_factory=dict)
    # Called with (live, staff_id, status) when a staff member's presence changes.
    staff_presence_hooks: list[Callable] = field(default_factory=list)
    # Called with (live, closed) when a consent of the kind closes (`consent.flows`).
    consent_closed_hooks: dict[str, list[Callable]] = field(default_factory=dict)
    # Called with the socket's session (`DeviceSession`, `StaffSession`) once it is open,
    # before its first message is read: what a side (re)connecting must see at once.
    device_connect_hooks: list[Callable] = field(default_factory=list)
    staff_connect_hooks: list[Callable] = field(default_factory=list)
    # Called with (live, consent, connection_id) when the customer grants a consent of the
    # kind, on the device's socket `connection_id` (`consent.flows`).
    consent_granted_hooks: dict[str, list[Callable]] = field(default_factory=dict)
    # Called with (live, conversation_id) when a conversation closes (`chat.flows`).
    conversation_closed_hooks: list[Callable] = field(default_factory=list)
    # Called with (live, device_id, connection_id) when a device's socket has closed.
    device_disconnected_hooks: list[Callable] = field(default_factory=list)
    domain: str = "?"  # whose `register` is running, for the refusal of a duplicate
    _owners: dict[tuple[str, str | int], str] = field(default_factory=dict)

    def add(self, kinds: dict[str, MessageKind]) -> None:
        """JSON kinds by their `type`; each goes to the socket its rule names."""
        for name, kind in kinds.items():
            if isinstance(kind, BinaryKind) or not isinstance(name, str):
                raise TypeError(f"{name!r}: binary kinds are added with add_binary")
            self._put(self.device if kind.rule.sender == "device" else self.staff, name, kind)

    def add_binary(self, kinds: dict[int, BinaryKind]) -> None:
        """Binary kinds by their code (1-255, `isp_common.binary_frames`)."""
        for code, kind in kinds.items():
            if not isinstance(kind, BinaryKind):
                raise TypeError(f"{code!r}: JSON kinds are added with add, by their type")
            if not isinstance(code, int) or not 0 < code < 256:
                raise TypeError(f"{code!r}: a binary kind has a code from 1 to 255")
            device = kind.rule.sender == "device"
            self._put(self.device_binary if device else self.staff_binary, code, kind)

    def on_staff_presence(self, hook: Callable) -> None:
        self.staff_presence_hooks.append(hook)

    def on_consent_closed(self, kind: str, hook: Callable) -> None:
        self.consent_closed_hooks.setdefault(kind, []).append(hook)

    def on_device_connect(self, hook: Callable) -> None:
        self.device_connect_hooks.append(hook)

    def on_staff_connect(self, hook: Callable) -> None:
        self.staff_connect_hooks.append(hook)

    def on_consent_granted(self, kind: str, hook: Callable) -> None:
        self.consent_granted_hooks.setdefault(kind, []).append(hook)

    def on_conversation_closed(self, hook: Callable) -> None:
        self.conversation_closed_hooks.append(hook)

    def on_device_disconnected(self, hook: Callable) -> None:
        self.device_disconnected_hooks.append(hook)

    def _put(self, table: dict, key: str | int, kind: MessageKind) -> None:
        owner_key = (kind.rule.sender, f"binary {key}" if isinstance(key, int) else key)
        if key in table:
            raise ValueError(
                f"/ws/{kind.rule.sender}: {owner_key[1]} is registered by "
                f"{self._owners[owner_key]} and again by {self.domain}"
            )
        table[key] = kind
        self._owners[owner_key] = self.domain


async def connected(session, hooks: list[Callable]) -> None:
    """Runs the connect hooks for a socket just opened; one that fails is logged and the
    socket lives on (what it would have sent comes with the next change)."""
    for hook in hooks:
        try:
            await hook(session)
        except Exception:
            log.exception("connect hook %s failed", getattr(hook, "__qualname__", hook))


def live_kinds_modules(package: ModuleType) -> list[ModuleType]:
    """The `live_kinds` module of every domain (sub-package) of `package`, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if not info.ispkg:
            continue
        name = f"{package.__name__}.{info.name}.{MODULE_NAME}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


@cache
def _portal_live_kinds_modules() -> tuple[ModuleType, ...]:
    """The portal's own domains: found once per process, as every app built in it (a test
    run builds hundreds) has the same ones."""
    import agent_portal

    return tuple(live_kinds_modules(agent_portal))


def collect(package: ModuleType | None = None) -> LiveRegistry:
    """Every domain's kinds, from its `live_kinds.register`."""
    modules = _portal_live_kinds_modules() if package is None else live_kinds_modules(package)
    registry = LiveRegistry()
    for module in modules:
        registry.domain = module.__name__.rsplit(".", 2)[-2]
        module.register(registry)
    registry.domain = "?"
    return registry
