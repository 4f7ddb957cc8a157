"""Facts about the connection: interfaces, router, name lookups, the internet, Wi-Fi."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

# How a connection attempt ended. "refused": the host said no (nothing listens on that
# port); "timeout": no answer in time; "unreachable": the OS had no way to get there.
ProbeOutcome = Literal["open", "refused", "timeout", "unreachable", "error"]


DnsError = Literal["refused", "timeout", "not_found", "server_failure", "no_answer", "error"]


class InterfaceAddress(BaseModel):
    family: Literal["ipv4", "ipv6", "mac"]
    address: str
    netmask: str | None = None


class NetworkInterface(BaseModel):
    name: str
    is_up: bool
    is_loopback: bool
    speed_mbps: int | None = None
    mtu: int | None = None
    addresses: list[InterfaceAddress] = []


class InterfacesFacts(BaseModel):
    kind: Literal["interfaces"] = "interfaces"
    interfaces: list[NetworkInterface]


class PortProbe(BaseModel):
    port: int
    outcome: ProbeOutcome
    time_ms: float | None = None
    detail: str | None = None


class GatewayFacts(BaseModel):
    kind: Literal["gateway"] = "gateway"
    address: str | None
    """The router this computer sends internet traffic to; None when there is none."""
    source: Literal["system", "settings"] = "system"
    answers: bool | None = None
    probes: list[PortProbe] = []


class DnsLookup(BaseModel):
    name: str
    resolver: str
    """"system" for the computer's own resolver, else the server asked ("host:port")."""
    ok: bool
    addresses: list[str] = []
    time_ms: float | None = None
    error: DnsError | None = None
    detail: str | None = None


class DnsFacts(BaseModel):
    kind: Literal["dns"] = "dns"
    servers: list[str] = []
    """The DNS servers the computer is set up to use, where the OS tells."""
    lookups: list[DnsLookup]


class EndpointProbe(BaseModel):
    endpoint: str
    reachable: bool
    outcome: ProbeOutcome
    time_ms: float | None = None
    detail: str | None = None


class ReachabilityFacts(BaseModel):
    kind: Literal["reachability"] = "reachability"
    endpoints: list[EndpointProbe]
    median_latency_ms: float | None = None


class WifiFacts(BaseModel):
    kind: Literal["wifi"] = "wifi"
    adapter_present: bool
    connected: bool | None = None
    interface: str | None = None
    ssid: str | None = None
    signal_percent: float | None = None
    rssi_dbm: float | None = None
    band: Literal["2.4 GHz", "5 GHz", "6 GHz"] | None = None
    channel: int | None = None
    source: str | None = None
    """Where the facts came from, e.g. "nmcli", "/proc/net/wireless", "netsh", "airport"."""


class ModemFacts(BaseModel):
    kind: Literal["modem"] = "modem"
    url: str | None
    answers: bool | None = None
    status_code: int | None = None
    time_ms: float | None = None
    error: Literal["refused", "timeout", "unreachable", "error"] | None = None
    detail: str | None = None
