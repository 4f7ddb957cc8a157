"""Is the computer connected to a network at all, and did it get an address?"""

from __future__ import annotations

import ipaddress

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import InterfacesFacts, NetworkInterface
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

# Interfaces that virtual machines, containers and VPNs create: they report made-up
# speeds (a tun device says 10 Mbit/s) and are not the customer's cable.
_VIRTUAL_PREFIXES = (
    "docker",
    "veth",
    "br-",
    "virbr",
    "vbox",
    "vmnet",
    "tun",
    "tap",
    "wg",
    "utun",
    "bridge",
    "vethernet",
    "ifb",
    "dummy",
    "zt",
    "tailscale",
    "awdl",
    "llw",
    "anpi",
    "gif",
    "stf",
)


def _usable_addresses(interface: NetworkInterface) -> list[ipaddress._BaseAddress]:
    found = []
    for entry in interface.addresses:
        if entry.family == "mac":
            continue
        try:
            address = ipaddress.ip_address(entry.address.split("%")[0])
        except ValueError:
            continue
        if not address.is_link_local and not address.is_loopback:
            found.append(address)
    return found


def _is_physical(interface: NetworkInterface) -> bool:
    has_mac = any(a.family == "mac" for a in interface.addresses)
    return has_mac and not interface.name.lower().startswith(_VIRTUAL_PREFIXES)


def evaluate(facts: InterfacesFacts, limits: Thresholds) -> list[Finding]:
    active = [i for i in facts.interfaces if i.is_up and not i.is_loopback]
    connected = [i for i in active if _usable_addresses(i)]
    findings = []
    if not connected:
        if any(_is_physical(i) for i in active):
            return [
                finding(
                    "internet.interfaces.no_address",
                    Severity.critical,
                    N_("Your computer did not get an address from the router"),
                    N_(
                        "The connection is switched on, but the router did not give this computer "
                        "an address, so it cannot reach the internet."
                    ),
                    [
                        N_("Restart the router: unplug it, wait 30 seconds, plug it in again."),
                        N_("Then restart this computer."),
                    ],
                    QuickLink.network,
                )
            ]
        return [
            finding(
                "internet.interfaces.not_connected",
                Severity.critical,
                N_("This computer is not connected to a network"),
                N_("Neither a network cable nor Wi-Fi is connected."),
                [
                    N_(
                        "Check that the network cable is plugged in firmly at both ends, or switch "
                        "on Wi-Fi and connect to your network."
                    ),
                    N_("Restart the router: unplug it, wait 30 seconds, plug it in again."),
                ],
                QuickLink.network,
            )
        ]
    for interface in connected:
        speed = interface.speed_mbps
        if speed and _is_physical(interface) and speed < limits.link_speed_warning_mbps:
            findings.append(
                finding(
                    "internet.interfaces.slow_link",
                    Severity.warning,
                    N_("Your cable connection runs slower than it should"),
                    N_(
                        "The connection {interface} runs at only {speed} Mbit/s. This usually "
                        "means a damaged cable or a loose plug."
                    ),
                    [
                        N_("Plug the network cable out and in again at both ends."),
                        N_("Try another network cable or another socket on the router."),
                    ],
                    QuickLink.network,
                    interface=interface.name,
                    speed=speed,
                )
            )
    if not findings:
        findings.append(
            finding(
                "internet.interfaces.ok",
                Severity.ok,
                N_("Network connection is active"),
                N_("Connected through {interfaces}."),
                interfaces=", ".join(i.name for i in connected),
            )
        )
    return findings


async def collect(ctx) -> InterfacesFacts:
    return await ctx.network.interfaces()


CHECK = Check(
    id="internet.interfaces",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Network connection"),
    description_msgid=N_("Whether a cable or Wi-Fi connection is active and has an address."),
    collect=collect,
    evaluate=evaluate,
    order=10,
)
