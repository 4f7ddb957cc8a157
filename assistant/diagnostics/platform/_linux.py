"""Linux: /proc and /sys for the facts, ufw/firewalld/nftables, ClamAV, apt or dnf.

All files are read under ``root`` (normally "/"), so tests can hand in a directory tree
of real files instead of patching ``open``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.errors import AccessDenied, ToolMissing, Unknown
from assistant.diagnostics.platform import _linux_parse as parse
from assistant.diagnostics.platform._common import age_days
from assistant.diagnostics.platform._linux_procs import LinuxProcessSampler
from assistant.diagnostics.platform._posix import (
    current_user,
    group_names,
    is_admin,
    parse_resolv_conf,
    read_text,
)
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

_DENIED = ("permission denied", "operation not permitted", "you need to be root")


class LinuxBackend(PlatformBackend):
    os_family = "linux"

    def __init__(
        self, runner: CommandRunner, command_timeout: float = 60.0, root: Path = Path("/")
    ) -> None:
        super().__init__(runner, command_timeout)
        self.root = Path(root)

    def _path(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    async def default_gateway(self) -> str | None:
        return parse.parse_route_table(read_text(self._path("/proc/net/route")))

    async def dns_servers(self) -> list[str]:
        return parse_resolv_conf(read_text(self._path("/etc/resolv.conf")))

    def _wireless_interfaces(self) -> list[str]:
        net = self._path("/sys/class/net")
        if not net.is_dir():
            return []
        return sorted(entry.name for entry in net.iterdir() if (entry / "wireless").exists())

    async def wifi(self) -> WifiFacts:
        proc_wireless = self._path("/proc/net/wireless")
        levels = (
            parse.parse_proc_wireless(read_text(proc_wireless)) if proc_wireless.exists() else {}
        )
        interfaces = sorted({*self._wireless_interfaces(), *levels})
        if not interfaces:
            return WifiFacts(adapter_present=False, source="/sys/class/net")
        if self.runner.which("nmcli"):
            result = await self.run(
                [
                    "nmcli",
                    "-t",
                    "-f",
                    "ACTIVE,SSID,SIGNAL,FREQ,CHAN,DEVICE",
                    "dev",
                    "wifi",
                    "list",
                    "--rescan",
                    "no",
                ]
            )
            if result.returncode == 0:
                active = parse.parse_nmcli_wifi(result.stdout)
                if active is not None:
                    return active
                return WifiFacts(adapter_present=True, connected=False, source="nmcli")
        for interface in interfaces:
            quality, level = levels.get(interface, (0.0, None))
            iw = {}
            if self.runner.which("iw"):
                result = await self.run(["iw", "dev", interface, "link"])
                iw = parse.parse_iw_link(result.stdout) if result.returncode == 0 else {}
            facts = parse.wifi_from_proc(interface, quality, level, iw)
            if facts.connected:
                return facts
        return WifiFacts(
            adapter_present=True,
            connected=False,
            interface=interfaces[0],
            source="/proc/net/wireless",
        )

    async def firewall(self) -> FirewallFacts:
        """The first firewall that is on wins; ufw and firewalld sit on top of nftables."""
        answered: list[FirewallFacts] = []
        denied: list[str] = []
        for program, argv in (
            ("ufw", ["ufw", "status"]),
            ("firewalld", ["firewall-cmd", "--state"]),
            ("nftables", ["nft", "-j", "list", "ruleset"]),
        ):
            if not self.runner.which(argv[0]):
                continue
            result = await self.run(argv)
            if any(word in result.output.lower() for word in _DENIED) and result.returncode:
                denied.append(program)
                continue
            enabled = _firewall_state(program, result)
            if enabled is None:
                continue
            facts = parse.firewall_facts(program, enabled)
            if enabled:
                return facts
            answered.append(facts)
        if answered:
            return answered[0]
        if denied:
            raise AccessDenied(
                N_("Reading the firewall settings ({programs}) needs administrator rights."),
                programs=", ".join(denied),
            )
        raise ToolMissing(
            N_("No firewall program (ufw, firewalld or nftables) was found."),
            advice=N_(
                "At home, your router's firewall shields this computer. On public Wi-Fi a "
                "firewall on the computer helps too: install one, such as ufw, or ask your "
                "hotline."
            ),
        )

    async def antivirus(self) -> AntivirusFacts:
        products = []
        if self.runner.which("clamscan"):
            result = await self.run(["clamscan", "--version"])
            parsed = parse.parse_clamscan_version(result.output)
            if parsed is not None:
                name, signatures = parsed
                products.append(
                    AntivirusProduct(
                        name=name,
                        signatures_updated=signatures,
                        signature_age_days=age_days(signatures, datetime.now(UTC)),
                    )
                )
        return AntivirusFacts(os_family="linux", products=products)

    async def updates(self) -> UpdatesFacts:
        restart = self._path("/var/run/reboot-required").exists()
        if self.runner.which("apt-get"):
            # Simulated, from the package lists already on disk: no network, no root needed.
            result = await self.run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "upgrade"])
            if result.returncode != 0:
                raise Unknown(
                    N_("apt-get could not list updates: {error}"),
                    error=result.stderr.strip()[-300:],
                )
            pending = parse.parse_apt_simulation(result.stdout)
            source, checked = "apt", self._apt_lists_time()
        elif self.runner.which("dnf"):
            # -C: from the cache only, so the check needs no network and stays quick.
            result = await self.run(["dnf", "-C", "-q", "check-update"])
            if result.returncode not in (0, 100):
                raise Unknown(
                    N_("dnf could not list updates: {error}"), error=result.stderr.strip()[-300:]
                )
            pending, source, checked = parse.parse_dnf_check_update(result.stdout), "dnf", None
        else:
            raise ToolMissing(N_("No package manager (apt or dnf) was found."))
        return UpdatesFacts(
            os_family="linux",
            source=source,
            pending_count=len(pending),
            security_count=sum(u.security for u in pending),
            updates=sorted(pending, key=lambda u: not u.security)[:50],
            restart_required=restart,
            last_checked=checked,
        )

    def _apt_lists_time(self) -> datetime | None:
        lists = self._path("/var/lib/apt/lists")
        try:
            times = [p.stat().st_mtime for p in lists.iterdir() if p.name.endswith("Release")]
        except OSError:
            return None
        return datetime.fromtimestamp(max(times), UTC) if times else None

    async def accounts(self) -> AccountFacts:
        user, uid = current_user()
        auto_user: str | None = None
        guest = False
        unreadable: list[str] = []
        for path, kind in self._display_manager_files():
            try:
                config = parse.parse_ini(read_text(path))
            except Unknown as err:
                unreadable.append(err.reason)
                continue
            auto_user = auto_user or _auto_login_user(kind, config)
            guest = guest or _guest_allowed(kind, config)
        return AccountFacts(
            os_family="linux",
            user=user,
            is_superuser=uid == 0,
            is_admin=is_admin(uid, group_names()),
            auto_login=bool(auto_user) or (None if unreadable else False),
            auto_login_user=auto_user,
            guest_enabled=guest or (None if unreadable else False),
            unreadable=unreadable,
        )

    def _display_manager_files(self) -> list[tuple[Path, str]]:
        files = [
            (self._path("/etc/gdm3/custom.conf"), "gdm"),
            (self._path("/etc/gdm/custom.conf"), "gdm"),
            (self._path("/etc/lightdm/lightdm.conf"), "lightdm"),
            (self._path("/etc/sddm.conf"), "sddm"),
        ]
        for directory, kind in (
            ("/etc/lightdm/lightdm.conf.d", "lightdm"),
            ("/etc/sddm.conf.d", "sddm"),
        ):
            folder = self._path(directory)
            if folder.is_dir():
                files += [(p, kind) for p in sorted(folder.glob("*.conf"))]
        return [(path, kind) for path, kind in files if path.exists()]

    async def battery_health(self) -> BatteryHealth:
        supplies = self._path("/sys/class/power_supply")
        if not supplies.is_dir():
            return BatteryHealth()
        for battery in sorted(supplies.glob("BAT*")):
            full = _read_int(battery, "energy_full", "charge_full")
            design = _read_int(battery, "energy_full_design", "charge_full_design")
            health = round(100 * full / design, 1) if full and design else None
            return BatteryHealth(
                health_percent=health, cycle_count=_read_int(battery, "cycle_count")
            )
        return BatteryHealth()

    def process_sampler(self) -> ProcessSampler:
        return LinuxProcessSampler(str(self._path("/proc")))


def _firewall_state(program: str, result) -> bool | None:
    if program == "ufw":
        return parse.parse_ufw_status(result.stdout)
    if program == "firewalld":
        # firewall-cmd --state prints "running" (exit 0) or "not running" (exit 252).
        return result.stdout.strip() == "running" if result.stdout.strip() else None
    if result.returncode != 0:
        return None
    return parse.parse_nft_ruleset(result.stdout)


def _auto_login_user(kind: str, config) -> str | None:
    if kind == "gdm":
        section = config["daemon"] if config.has_section("daemon") else {}
        if parse.is_true(section.get("AutomaticLoginEnable")):
            return section.get("AutomaticLogin") or "?"
        return None
    if kind == "lightdm":
        for name in config.sections():
            if name.startswith(("Seat", "SeatDefaults")) and config[name].get("autologin-user"):
                return config[name]["autologin-user"]
        return None
    if config.has_section("Autologin") and config["Autologin"].get("User"):
        return config["Autologin"]["User"]
    return None


def _guest_allowed(kind: str, config) -> bool:
    if kind != "lightdm":  # guest sessions are a LightDM feature on Linux
        return False
    return any(
        parse.is_true(config[name].get("allow-guest"))
        or parse.is_true(config[name].get("greeter-allow-guest"))
        for name in config.sections()
        if name.startswith("Seat")
    )


def _read_int(folder: Path, *names: str) -> int | None:
    for name in names:
        try:
            return int((folder / name).read_text().strip())
        except (OSError, ValueError):
            continue
    return None
