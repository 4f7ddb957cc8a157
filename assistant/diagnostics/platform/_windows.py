"""Windows: netsh, route, whoami, reg and PowerShell (Defender, Security Center, Update)."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.diagnostics.errors import AccessDenied, Unknown
from assistant.diagnostics.platform import _windows_parse as parse
from assistant.diagnostics.platform import _windows_wlan as wlan
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

WINLOGON = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"

DEFENDER_SCRIPT = (
    "Get-MpComputerStatus | Select-Object AMRunningMode,AMServiceEnabled,AntivirusEnabled,"
    "RealTimeProtectionEnabled,AntivirusSignatureLastUpdated,AntivirusSignatureAge,"
    "AntivirusSignatureVersion | ConvertTo-Json"
)
SECURITY_CENTER_SCRIPT = (
    "Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | "
    "Select-Object displayName,productState,timestamp | ConvertTo-Json"
)
# Offline search: uses what Windows Update last downloaded, so it neither waits for the
# network nor starts a download on the customer's line.
UPDATE_SCRIPT = """
$autoUpdate = New-Object -ComObject Microsoft.Update.AutoUpdate
$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
$searcher.Online = $false
$found = $searcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'")
$updates = @($found.Updates | ForEach-Object { [pscustomobject]@{
    Title = $_.Title; MsrcSeverity = $_.MsrcSeverity
    Categories = (($_.Categories | ForEach-Object { $_.Name }) -join ', ') } })
[pscustomobject]@{
    Updates = $updates
    RebootRequired = (New-Object -ComObject Microsoft.Update.SystemInfo).RebootRequired
    LastSearchSuccess = $autoUpdate.Results.LastSearchSuccessDate
} | ConvertTo-Json -Depth 3
"""
GUEST_SCRIPT = (
    "Get-LocalUser | Where-Object { $_.SID.Value -like '*-501' } | "
    "Select-Object Name,Enabled | ConvertTo-Json"
)
DNS_SCRIPT = (
    "Get-DnsClientServerAddress -AddressFamily IPv4 | Where-Object { $_.ServerAddresses } | "
    "Select-Object InterfaceAlias,ServerAddresses | ConvertTo-Json"
)
BATTERY_SCRIPT = """
$static = Get-CimInstance -Namespace root/wmi -ClassName BatteryStaticData -ErrorAction SilentlyContinue | Select-Object -First 1
$full = Get-CimInstance -Namespace root/wmi -ClassName BatteryFullChargedCapacity -ErrorAction SilentlyContinue | Select-Object -First 1
$cycles = Get-CimInstance -Namespace root/wmi -ClassName BatteryCycleCount -ErrorAction SilentlyContinue | Select-Object -First 1
if ($static) { [pscustomobject]@{ DesignedCapacity = $static.DesignedCapacity
    FullChargedCapacity = $full.FullChargedCapacity; CycleCount = $cycles.CycleCount } | ConvertTo-Json }
"""  # noqa: E501 - PowerShell, kept readable as one statement per line


def powershell(script: str) -> list[str]:
    # UTF-8 out, or names with umlauts arrive in the console's code page.
    return [
        "powershell",
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-Command",
        "[Console]::OutputEncoding = [Text.Encoding]::UTF8; " + script,
    ]


class WindowsBackend(PlatformBackend):
    os_family = "windows"

    async def default_gateway(self) -> str | None:
        return parse.parse_route_print((await self.run(["route", "print", "-4", "0.0.0.0"])).stdout)

    async def dns_servers(self) -> list[str]:
        return parse.parse_dns_servers((await self.run(powershell(DNS_SCRIPT))).stdout)

    async def wifi(self) -> WifiFacts:
        result = await self.run(["netsh", "wlan", "show", "interfaces"])
        if wlan.wlan_needs_location(result.output):
            raise AccessDenied(
                N_(
                    "Windows shows Wi-Fi details only to apps allowed to use the location. "
                    "Turn on location access for apps in the privacy settings."
                )
            )
        return wlan.parse_netsh_wlan(result.output)

    async def firewall(self) -> FirewallFacts:
        result = await self.run(["netsh", "advfirewall", "show", "allprofiles", "state"])
        profiles = parse.parse_netsh_firewall(result.stdout)
        if not profiles:
            raise Unknown(
                N_("Windows did not report the firewall state: {answer}"),
                answer=result.output.strip()[:200],
            )
        return FirewallFacts(
            os_family="windows",
            product="Windows Defender Firewall",
            enabled=all(p.enabled for p in profiles),
            profiles=profiles,
        )

    async def antivirus(self) -> AntivirusFacts:
        """Security Center lists every virus scanner; Defender adds its signature age."""
        now = datetime.now(UTC)
        center = await self.run(powershell(SECURITY_CENTER_SCRIPT))
        products = parse.parse_security_center(center.stdout) if center.returncode == 0 else []
        defender_result = await self.run(powershell(DEFENDER_SCRIPT))
        defender = None
        if defender_result.returncode == 0:
            defender = parse.parse_defender(defender_result.stdout, now)
        if defender is not None:
            listed = [p for p in products if "defender" in p.name.lower()]
            if listed:  # Security Center's verdict, Defender's details
                listed[0].signatures_updated = defender.signatures_updated
                listed[0].signature_age_days = defender.signature_age_days
                listed[0].real_time = defender.real_time
            else:
                products.append(defender)
        if center.returncode != 0 and defender is None:
            raise Unknown(N_("Windows did not tell which virus protection is installed."))
        return AntivirusFacts(os_family="windows", products=products)

    async def updates(self) -> UpdatesFacts:
        result = await self.run(powershell(UPDATE_SCRIPT))
        if result.returncode != 0:
            raise Unknown(
                N_("Windows Update did not answer: {error}"), error=result.stderr.strip()[:300]
            )
        pending, restart, checked = parse.parse_windows_update(result.stdout)
        return UpdatesFacts(
            os_family="windows",
            source="Windows Update",
            pending_count=len(pending),
            security_count=sum(u.security for u in pending),
            updates=sorted(pending, key=lambda u: not u.security)[:50],
            restart_required=restart,
            last_checked=checked,
        )

    async def accounts(self) -> AccountFacts:
        groups = await self.run(["whoami", "/groups", "/fo", "csv"])
        member, elevated = parse.parse_whoami_groups(groups.stdout)
        user = (await self.run(["whoami"])).stdout.strip()
        winlogon = await self.run(["reg", "query", WINLOGON])
        auto = parse.parse_reg_value(winlogon.stdout, "AutoAdminLogon")
        guest = await self.run(powershell(GUEST_SCRIPT))
        return AccountFacts(
            os_family="windows",
            user=user,
            is_superuser=elevated,
            is_admin=member or elevated,
            auto_login=auto == "1",
            auto_login_user=parse.parse_reg_value(winlogon.stdout, "DefaultUserName")
            if auto == "1"
            else None,
            guest_enabled=parse.parse_guest_account(guest.stdout)
            if guest.returncode == 0
            else None,
        )

    async def battery_health(self) -> BatteryHealth:
        result = await self.run(powershell(BATTERY_SCRIPT))
        return parse.parse_battery(result.stdout) if result.returncode == 0 else BatteryHealth()

    def process_sampler(self) -> ProcessSampler:
        return PsutilProcessSampler()
