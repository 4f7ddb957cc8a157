"""Any other OS (BSD and the like): psutil's facts only; the rest is honestly unknown."""

from __future__ import annotations

from assistant.diagnostics.errors import NotSupported
from assistant.diagnostics.platform._psutil_procs import PsutilProcessSampler
from assistant.diagnostics.platform.base import BatteryHealth, PlatformBackend, ProcessSampler
from assistant.diagnostics.texts import N_
from isp_common.diagnostics.facts import (
    AccountFacts,
    AntivirusFacts,
    FirewallFacts,
    UpdatesFacts,
    WifiFacts,
)


def _unsupported() -> NotSupported:
    return NotSupported(N_("This check is not available for this operating system."))


class UnsupportedBackend(PlatformBackend):
    async def default_gateway(self) -> str | None:
        raise _unsupported()

    async def dns_servers(self) -> list[str]:
        return []

    async def wifi(self) -> WifiFacts:
        raise _unsupported()

    async def firewall(self) -> FirewallFacts:
        raise _unsupported()

    async def antivirus(self) -> AntivirusFacts:
        raise _unsupported()

    async def updates(self) -> UpdatesFacts:
        raise _unsupported()

    async def accounts(self) -> AccountFacts:
        raise _unsupported()

    async def battery_health(self) -> BatteryHealth:
        return BatteryHealth()

    def process_sampler(self) -> ProcessSampler:
        return PsutilProcessSampler()
