"""Real keys, a real server key ring and a clock that tests set, for every premium test."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.premium.cleanup import Cleaner, Locations, _linux, platform_from
from assistant.premium.cleanup._portable_tree import PortableTree
from assistant.premium.cleanup.tree import DirFdTree
from assistant.premium.device_keys import DeviceKey
from assistant.premium.gate import PremiumGate
from isp_common.entitlements import EntitlementClaims, EntitlementSource, PublishedKeys
from isp_common.features import Tier, feature_ids_for_tier
from isp_common.signing_keys import SigningKeyRing

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


class SetClock:
    """A clock that says what the test sets; `advance` moves it on."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


def make_claims(
    device_id: str,
    *,
    tier: Tier = Tier.PREMIUM,
    source: EntitlementSource = EntitlementSource.SUBSCRIPTION,
    issued_at: datetime = START,
    lifetime: timedelta = timedelta(days=1),
    **overrides,
) -> EntitlementClaims:
    return EntitlementClaims(
        account_number="K-100234",
        device_id=device_id,
        tier=tier,
        features=feature_ids_for_tier(tier),
        source=source,
        issued_at=issued_at,
        expires_at=issued_at + lifetime,
        **overrides,
    )


def keys_as_the_assistant_sees_them(ring: SigningKeyRing) -> PublishedKeys:
    """The key set through JSON, the way the assistant receives it from the server."""
    return PublishedKeys.model_validate_json(ring.public_keys().model_dump_json())


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
def ring(tmp_path: Path, clock: SetClock) -> SigningKeyRing:
    return SigningKeyRing(tmp_path / "server-keys", clock=clock)


@pytest.fixture
def device(tmp_path: Path) -> DeviceKey:
    return DeviceKey.load_or_create(tmp_path / "assistant-data")


@pytest.fixture
def other_device(tmp_path: Path) -> DeviceKey:
    return DeviceKey.load_or_create(tmp_path / "other-computer")


@pytest.fixture
def gate(ring: SigningKeyRing, device: DeviceKey, clock: SetClock) -> PremiumGate:
    return PremiumGate(
        device_id=device.device_id,
        keys=keys_as_the_assistant_sees_them(ring),
        clock=clock,
    )


@pytest.fixture
def premium_gate(gate: PremiumGate, ring: SigningKeyRing, device: DeviceKey, clock: SetClock):
    """A gate with a premium subscription, refreshed just now."""
    token = ring.sign(make_claims(device.device_id, issued_at=clock()))
    gate.set_subscription(token, refreshed_at=clock())
    return gate


# --- cleanup: a home folder and a temp folder made by the test -------------------------

TWO_DAYS_AGO = time.time() - 2 * 86400


def put(path: Path, data: bytes = b"x" * 100, *, mtime: float | None = TWO_DAYS_AGO) -> Path:
    """A file with old contents, as a cache holds them (`mtime=None`: changed just now)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@dataclass
class Computer:
    """A customer's home and temp folders, a folder outside both, and files that must live."""

    home: Path
    temp: Path
    outside: Path
    canaries: dict[Path, bytes] = field(default_factory=dict)

    def canary(self, path: Path, data: bytes | None = None) -> Path:
        data = data or f"precious: {path.name}".encode()
        self.canaries[path] = data
        return put(path, data)

    def firefox_cache(self, profile: str = "abc.default-release") -> Path:
        return self.home / ".cache" / "mozilla" / "firefox" / profile / "cache2"

    def chrome_cache(self, profile: str = "Default") -> Path:
        return self.home / ".cache" / "google-chrome" / profile / "Cache"

    def cleaner(self, gate, tree, **options) -> Cleaner:
        return Cleaner(
            gate=gate,
            locations=Locations(home=self.home, temp=self.temp),
            platform=platform_from(_linux),
            tree=tree,
            **options,
        )

    def damaged_canaries(self) -> list[Path]:
        return [
            path
            for path, data in self.canaries.items()
            if not path.is_file() or path.is_symlink() or path.read_bytes() != data
        ]


@pytest.fixture
def computer(tmp_path: Path) -> Computer:
    machine = Computer(tmp_path / "home", tmp_path / "temp", tmp_path / "outside")
    for folder in (machine.home, machine.temp, machine.outside):
        folder.mkdir()
    machine.canary(machine.home / "canary.txt")
    machine.canary(machine.home / "Documents" / "letter.txt")
    machine.canary(machine.outside / "precious.txt")
    return machine


@pytest.fixture(params=["dir_fd", "by_path"])
def tree(request):
    """Both ways of walking a root: with dir_fd (Linux, macOS) and by path (Windows)."""
    return DirFdTree() if request.param == "dir_fd" else PortableTree()
