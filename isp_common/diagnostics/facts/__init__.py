"""The facts each check collects, one pydantic model per check, told apart by ``kind``.

Facts are measurements, never judgements: a disk's free bytes, not "the disk is full".
The rules of each check turn them into findings. A value the computer does not tell is
``None``; it is never guessed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from isp_common.diagnostics.facts.mail import CertificateInfo, MailFacts, MailServerProbe
from isp_common.diagnostics.facts.network import (
    DnsFacts,
    DnsLookup,
    EndpointProbe,
    GatewayFacts,
    InterfaceAddress,
    InterfacesFacts,
    ModemFacts,
    NetworkInterface,
    PortProbe,
    ReachabilityFacts,
    WifiFacts,
)
from isp_common.diagnostics.facts.security import (
    AccountFacts,
    AntivirusFacts,
    AntivirusProduct,
    FirewallFacts,
    FirewallProfile,
    PendingUpdate,
    UpdatesFacts,
)
from isp_common.diagnostics.facts.system import (
    BatteryFacts,
    CpuFacts,
    DiskHealthFacts,
    DiskIo,
    MemoryFacts,
    Partition,
    ProcessFacts,
    ProcessInfo,
    SmartDisk,
    StorageFacts,
    TemperatureFacts,
    TemperatureSensor,
    UptimeFacts,
)

Facts = Annotated[
    InterfacesFacts
    | GatewayFacts
    | DnsFacts
    | ReachabilityFacts
    | WifiFacts
    | ModemFacts
    | MailFacts
    | CpuFacts
    | MemoryFacts
    | StorageFacts
    | DiskHealthFacts
    | BatteryFacts
    | TemperatureFacts
    | UptimeFacts
    | ProcessFacts
    | FirewallFacts
    | AntivirusFacts
    | UpdatesFacts
    | AccountFacts,
    Field(discriminator="kind"),
]

__all__ = [
    "AccountFacts",
    "AntivirusFacts",
    "AntivirusProduct",
    "BatteryFacts",
    "CertificateInfo",
    "CpuFacts",
    "DiskHealthFacts",
    "DiskIo",
    "DnsFacts",
    "DnsLookup",
    "EndpointProbe",
    "Facts",
    "FirewallFacts",
    "FirewallProfile",
    "GatewayFacts",
    "InterfaceAddress",
    "InterfacesFacts",
    "MailFacts",
    "MailServerProbe",
    "MemoryFacts",
    "ModemFacts",
    "NetworkInterface",
    "Partition",
    "PendingUpdate",
    "PortProbe",
    "ProcessFacts",
    "ProcessInfo",
    "ReachabilityFacts",
    "SmartDisk",
    "StorageFacts",
    "TemperatureFacts",
    "TemperatureSensor",
    "UpdatesFacts",
    "UptimeFacts",
    "WifiFacts",
]
