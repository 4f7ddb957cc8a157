"""Each domain brings its message kinds itself: a package with a `live_kinds.py` is found
and registered, JSON kinds on the socket their rule names and binary kinds by their code,
so adding a domain touches no shared list; a kind two domains claim is refused at start,
naming both."""

from __future__ import annotations

import importlib
import textwrap

import pytest

from agent_portal.realtime import registry
from agent_portal.realtime.dispatch import device_kind, staff_binary_kind, staff_kind


def make_package(root, name: str, domains: dict[str, str]) -> object:
    """A package `name` under `root` with a sub-package per domain; the text given for a
    domain becomes its `live_kinds.py` (None: a domain without one)."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("")  # a module, not a domain
    for domain, source in domains.items():
        (package / domain).mkdir()
        (package / domain / "__init__.py").write_text("")
        if source is not None:
            (package / domain / "live_kinds.py").write_text(textwrap.dedent(source))
    importlib.invalidate_caches()
    return importlib.import_module(name)


HEADER = """
from agent_portal.realtime.dispatch import device_kind, staff_binary_kind, staff_kind


async def handle(session, message):
    pass


def hook(live, staff_id, status):
    pass
"""


def test_every_domain_with_live_kinds_is_registered(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    package = make_package(
        tmp_path,
        "portal_with_domains",
        {
            "billing": HEADER
            + """
def register(kinds):
    kinds.add({"meter.tick": device_kind(handle), "meter.watch": staff_kind(handle)})
    kinds.on_staff_presence(hook)
""",
            "screen": HEADER
            + """
def register(kinds):
    kinds.add_binary({16: staff_binary_kind("screen.input", handle)})
""",
            "reports": None,
        },
    )
    kinds = registry.collect(package)
    assert list(kinds.device) == ["meter.tick"]
    assert list(kinds.staff) == ["meter.watch"]
    assert [kind.name for kind in kinds.staff_binary.values()] == ["screen.input"]
    assert list(kinds.staff_binary) == [16]
    assert kinds.device_binary == {}
    assert [hook.__module__ for hook in kinds.staff_presence_hooks] == [
        "portal_with_domains.billing.live_kinds"
    ]


def test_a_kind_two_domains_claim_is_refused_naming_both(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    claim = (
        HEADER
        + """
def register(kinds):
    kinds.add({"ping": device_kind(handle)})
"""
    )
    package = make_package(tmp_path, "portal_with_twins", {"chat": claim, "presence": claim})
    with pytest.raises(ValueError, match="/ws/device: ping is registered by chat and again by"):
        registry.collect(package)


def test_the_portal_registers_each_kind_once():
    kinds = registry.collect()
    assert "chat.send" in kinds.device and "chat.send" in kinds.staff
    assert kinds.device_binary and kinds.staff_binary


async def handle(session, message):
    pass


@pytest.mark.parametrize(
    ("add", "kinds", "says"),
    [
        ("add", {1: staff_kind(handle)}, "binary kinds are added with add_binary"),
        ("add", {"x": staff_binary_kind("x", handle)}, "binary kinds are added with add_binary"),
        ("add_binary", {0: staff_binary_kind("x", handle)}, "a code from 1 to 255"),
        ("add_binary", {256: staff_binary_kind("x", handle)}, "a code from 1 to 255"),
        ("add_binary", {3: device_kind(handle)}, "JSON kinds are added with add"),
    ],
)
def test_a_kind_on_the_wrong_table_is_refused(add, kinds, says):
    with pytest.raises(TypeError, match=says):
        getattr(registry.LiveRegistry(), add)(kinds)
