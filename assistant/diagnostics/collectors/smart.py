"""Disk health from the disks themselves (S.M.A.R.T.), through smartmontools' smartctl.

smartctl exists for Linux, Windows and macOS and speaks JSON (``-j``), so one collector
serves all three. Without smartctl, without administrator rights, or in a virtual machine
whose disks report nothing, the answer is "unknown" with that reason.
"""

from __future__ import annotations

import asyncio
import json
import os

from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.errors import AccessDenied, NotSupported, ToolMissing, Unknown
from assistant.diagnostics.texts import N_, render
from isp_common.diagnostics.facts import DiskHealthFacts, SmartDisk

_REALLOCATED, _PENDING = 5, 197  # ATA attribute ids


def parse_smartctl(device: str, device_type: str | None, text: str, is_root: bool) -> SmartDisk:
    """One disk from ``smartctl -j -H -A -i``; a failure to read it goes to unknown_reason."""
    disk = SmartDisk(device=device, device_type=device_type)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        disk.unknown_reason = render(N_("smartctl gave no readable answer."))
        return disk
    messages = " ".join(m.get("string", "") for m in data.get("smartctl", {}).get("messages", []))
    lowered = messages.lower()
    disk.model = data.get("model_name") or data.get("scsi_model_name")
    status = data.get("smart_status", {})
    if "passed" in status:
        disk.passed = bool(status["passed"])
    elif "permission denied" in lowered or ("operation not permitted" in lowered and not is_root):
        disk.unknown_reason = render(N_("Reading the disk's health needs administrator rights."))
        return disk
    elif messages:
        disk.unknown_reason = render(
            N_("This disk does not report its health ({message})."),
            {"message": messages.strip()[:200]},
        )
        return disk
    disk.temperature_c = data.get("temperature", {}).get("current")
    disk.power_on_hours = data.get("power_on_time", {}).get("hours")
    for attribute in data.get("ata_smart_attributes", {}).get("table", []):
        raw = attribute.get("raw", {}).get("value")
        if attribute.get("id") == _REALLOCATED:
            disk.reallocated_sectors = raw
        elif attribute.get("id") == _PENDING:
            disk.pending_sectors = raw
    nvme = data.get("nvme_smart_health_information_log", {})
    disk.percentage_used = nvme.get("percentage_used")
    disk.media_errors = nvme.get("media_errors")
    measured = (disk.passed, disk.temperature_c, disk.reallocated_sectors, disk.percentage_used)
    if all(value is None for value in measured):  # opened, but it answered nothing
        disk.unknown_reason = render(N_("This disk does not report its health."))
    return disk


def parse_scan(text: str) -> list[tuple[str, str | None]]:
    """``smartctl -j --scan-open``: the disks it found, with their type."""
    devices = json.loads(text).get("devices", []) if text.strip() else []
    return [(d["name"], d.get("type")) for d in devices if d.get("name")]


class SmartCollector:
    def __init__(self, runner: CommandRunner, devices: list[str], timeout: float = 30.0) -> None:
        """``devices``: ``/dev/sda`` or ``/dev/sda:sat``; empty means smartctl's own scan."""
        self.runner = runner
        self.devices = devices
        self.timeout = timeout

    async def collect(self) -> DiskHealthFacts:
        if not self.runner.which("smartctl"):
            raise ToolMissing(
                N_(
                    "smartctl (from smartmontools) is not installed, so the disks cannot be "
                    "asked about their health."
                )
            )
        devices = [_device(d) for d in self.devices] or await self._scan()
        if not devices:
            raise NotSupported(
                N_(
                    "No disk of this computer reports its health (virtual machines and many "
                    "USB disks do not)."
                )
            )
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
        disks = await asyncio.gather(*(self._disk(name, kind, is_root) for name, kind in devices))
        readable = [d for d in disks if d.unknown_reason is None]
        if not readable:
            denied = render(N_("Reading the disk's health needs administrator rights."))
            if all(d.unknown_reason == denied for d in disks):
                raise AccessDenied(N_("Reading the disks' health needs administrator rights."))
            raise NotSupported(
                N_("No disk answered: {reasons}"),
                reasons="; ".join(f"{d.device}: {d.unknown_reason}" for d in disks),
            )
        return DiskHealthFacts(smartctl_version=await self._version(), disks=list(disks))

    async def _scan(self) -> list[tuple[str, str | None]]:
        result = await self.runner.run(["smartctl", "-j", "--scan-open"], timeout=self.timeout)
        try:
            return parse_scan(result.stdout)
        except json.JSONDecodeError as err:
            raise Unknown(N_("smartctl could not list the disks.")) from err

    async def _disk(self, name: str, kind: str | None, is_root: bool) -> SmartDisk:
        argv = ["smartctl", "-j", "-H", "-A", "-i", *(["-d", kind] if kind else []), name]
        result = await self.runner.run(argv, timeout=self.timeout)
        return parse_smartctl(name, kind, result.stdout, is_root)

    async def _version(self) -> str | None:
        result = await self.runner.run(["smartctl", "-j", "--version"], timeout=self.timeout)
        try:
            version = json.loads(result.stdout)["smartctl"]["version"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return None
        return ".".join(str(part) for part in version)


def _device(spec: str) -> tuple[str, str | None]:
    name, _sep, kind = spec.partition(":")
    return name, kind or None
