"""macOS: route, scutil, airport or system_profiler, the application firewall, Gatekeeper,
XProtect, softwareupdate, and the battery through system_profiler, ioreg and pmset.
Preference files are read under ``root`` (normally "/")."""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime
from pathlib import Path

from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.errors import ToolMissing, Unknown
from assistant.diagnostics.platform import _macos_parse as parse
from assistant.diagnostics.platform import _macos_power as power
from assistant.diagnostics.platform._common import age_days
from assistant.diagnostics.platform._macos_updates import parse_softwareupdate
from assistant.diagnostics.platform._posix import current_user, group_names, is_admin
from assistant.diagnostics.platform._psutil_procs import PsutilProcessSampler
from assistant.diagnostics.platform.base import BatteryHealth, PlatformBackend, ProcessSampler
from assistant.diagnostics.texts import N_
from isp_common.diagnostics.facts import (
    AccountFacts,
    AntivirusFacts,
    AntivirusProduct,
    FirewallFacts,
    UpdatesFacts,
    WifiFacts,
)

AIRPORT = (
    "/System/Library/PrivateFrameworks/Apple80211.framework/Versions/Current/Resources/airport"
)
SOCKETFILTERFW = "/usr/libexec/ApplicationFirewall/socketfilterfw"
XPROTECT_PLISTS = (
    "/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist",
    "/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist",
)
LOGINWINDOW = "/Library/Preferences/com.apple.loginwindow.plist"
SOFTWARE_UPDATE_PREFS = "/Library/Preferences/com.apple.SoftwareUpdate.plist"


class MacOSBackend(PlatformBackend):
    os_family = "macos"

    def __init__(
        self, runner: CommandRunner, command_timeout: float = 60.0, root: Path = Path("/")
    ) -> None:
        super().__init__(runner, command_timeout)
        self.root = Path(root)

    def _path(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    async def default_gateway(self) -> str | None:
        result = await self.run(["route", "-n", "get", "default"])
        return parse.parse_route_get(result.stdout) if result.returncode == 0 else None

    async def dns_servers(self) -> list[str]:
        return parse.parse_scutil_dns((await self.run(["scutil", "--dns"])).stdout)

    async def wifi(self) -> WifiFacts:
        if self.runner.which(AIRPORT):
            facts = parse.parse_airport((await self.run([AIRPORT, "-I"])).output)
            if facts is not None:
                return facts
        result = await self.run(["system_profiler", "-json", "SPAirPortDataType"])
        return parse.parse_system_profiler_wifi(result.stdout)

    async def firewall(self) -> FirewallFacts:
        result = await self.run([SOCKETFILTERFW, "--getglobalstate"])
        enabled = parse.parse_firewall_state(result.output)
        if enabled is None:
            raise Unknown(
                N_("macOS did not report the firewall state: {answer}"),
                answer=result.output.strip()[:200],
            )
        return FirewallFacts(os_family="macos", product="macOS firewall", enabled=enabled)

    async def antivirus(self) -> AntivirusFacts:
        """XProtect is macOS's built-in scanner; Gatekeeper blocks unknown apps."""
        products = []
        for candidate in XPROTECT_PLISTS:
            path = self._path(candidate)
            if path.exists():
                updated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                version = parse.parse_xprotect(path.read_bytes())
                products.append(
                    AntivirusProduct(
                        name=f"XProtect {version}" if version else "XProtect",
                        enabled=True,
                        signatures_updated=updated,
                        signature_age_days=age_days(updated, datetime.now(UTC)),
                    )
                )
                break
        gatekeeper = None
        if self.runner.which("spctl"):
            gatekeeper = parse.parse_gatekeeper((await self.run(["spctl", "--status"])).output)
        return AntivirusFacts(os_family="macos", products=products, gatekeeper_enabled=gatekeeper)

    async def updates(self) -> UpdatesFacts:
        if not self.runner.which("softwareupdate"):
            raise ToolMissing(
                N_("The program {program} is not installed."), program="softwareupdate"
            )
        result = await self.run(["softwareupdate", "-l"])
        version = (await self.run(["sw_vers", "-productVersion"])).stdout.strip() or None
        offered, restart = parse_softwareupdate(result.output, version)
        pending = [u for u in offered if u.category == "update"]
        checked = None
        prefs = self._path(SOFTWARE_UPDATE_PREFS)
        if prefs.exists():
            checked = parse.plist_date(plistlib.loads(prefs.read_bytes()).get("LastSuccessfulDate"))
        return UpdatesFacts(
            os_family="macos",
            source="softwareupdate",
            pending_count=len(pending),
            security_count=sum(u.security for u in pending),
            updates=sorted(offered, key=lambda u: (u.category != "update", not u.security))[:50],
            restart_required=restart,
            last_checked=checked,
        )

    async def accounts(self) -> AccountFacts:
        user, uid = current_user()
        auto_user, guest, unreadable = None, None, []
        path = self._path(LOGINWINDOW)
        try:
            auto_user, guest = parse.parse_loginwindow(path.read_bytes())
        except FileNotFoundError:
            guest = False
        except (OSError, plistlib.InvalidFileException) as err:
            unreadable.append(f"{path}: {err}")
        return AccountFacts(
            os_family="macos",
            user=user,
            is_superuser=uid == 0,
            is_admin=is_admin(uid, group_names()),
            auto_login=bool(auto_user) if not unreadable else None,
            auto_login_user=auto_user,
            guest_enabled=bool(guest) if not unreadable else None,
            unreadable=unreadable,
        )

    async def battery_health(self) -> BatteryHealth:
        report = power.parse_power((await self.run(["system_profiler", "SPPowerDataType"])).stdout)
        registry = None
        if report.health_percent is None:  # before macOS 12: ask the battery itself
            ioreg = await self.run(["ioreg", "-rn", "AppleSmartBattery"])
            registry = power.parse_ioreg_battery(ioreg.stdout) if ioreg.returncode == 0 else None
        pmset = await self.run(["pmset", "-g", "batt"])
        charge = power.parse_pmset_batt(pmset.stdout) if pmset.returncode == 0 else None
        return power.combine(report, registry, charge)

    def process_sampler(self) -> ProcessSampler:
        return PsutilProcessSampler()
