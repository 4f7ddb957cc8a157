"""The connection: interfaces, the router, the internet, the modem's admin page.

Every probe is one TCP connection or HTTP request with its own time limit, and the
probes of a check run side by side, so a check takes as long as its slowest probe.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import statistics
import time

import httpx
import psutil

from assistant.diagnostics.collectors.dns import query_server, resolve_system, split_host_port
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.platform import PlatformBackend
from assistant.diagnostics.settings import DiagnosticsSettings
from isp_common.diagnostics.facts import (
    DnsFacts,
    EndpointProbe,
    GatewayFacts,
    InterfaceAddress,
    InterfacesFacts,
    ModemFacts,
    NetworkInterface,
    PortProbe,
    ReachabilityFacts,
)

_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL}
_FAMILIES = {socket.AF_INET: "ipv4", socket.AF_INET6: "ipv6", psutil.AF_LINK: "mac"}


async def tcp_probe(host: str, port: int, timeout: float) -> tuple[str, float | None, str | None]:
    """(outcome, milliseconds to connect, detail) of one TCP connection attempt."""
    started = time.perf_counter()
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        return "timeout", None, None
    except ConnectionRefusedError:
        return "refused", round((time.perf_counter() - started) * 1000, 1), None
    except OSError as err:
        outcome = "unreachable" if err.errno in _UNREACHABLE else "error"
        return outcome, None, str(err)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    writer.close()
    return "open", elapsed, None


class NetworkCollector:
    def __init__(self, backend: PlatformBackend, settings: DiagnosticsSettings) -> None:
        self.backend = backend
        self.settings = settings

    @property
    def timeout(self) -> float:
        return self.settings.network_timeout_seconds

    async def interfaces(self) -> InterfacesFacts:
        addresses, stats = psutil.net_if_addrs(), psutil.net_if_stats()
        interfaces = []
        for name in sorted(set(addresses) | set(stats)):
            stat = stats.get(name)
            flags = set((getattr(stat, "flags", "") or "").split(","))
            interfaces.append(
                NetworkInterface(
                    name=name,
                    is_up=bool(stat and stat.isup),
                    is_loopback="loopback" in flags or name.lower().startswith(("lo", "loopback")),
                    speed_mbps=stat.speed or None if stat else None,  # 0 means "unknown"
                    mtu=stat.mtu if stat else None,
                    addresses=[
                        InterfaceAddress(
                            family=_FAMILIES[a.family], address=a.address, netmask=a.netmask
                        )
                        for a in addresses.get(name, [])
                        if a.family in _FAMILIES
                    ],
                )
            )
        return InterfacesFacts(interfaces=interfaces)

    async def gateway_address(self) -> tuple[str | None, str]:
        if self.settings.gateway:
            return self.settings.gateway, "settings"
        return await self.backend.default_gateway(), "system"

    async def gateway(self) -> GatewayFacts:
        """Whether the router answers: it accepts a connection on one of its usual ports.

        ICMP ping needs privileges an ordinary user lacks; every home router offers its
        admin page or a DNS forwarder, so a port that accepts proves it is there. A port
        that refuses or stays silent does not count.
        """
        address, source = await self.gateway_address()
        if address is None:
            return GatewayFacts(address=None, source=source)
        results = await asyncio.gather(
            *(tcp_probe(address, port, self.timeout) for port in self.settings.gateway_ports)
        )
        probes = [
            PortProbe(port=port, outcome=outcome, time_ms=ms, detail=detail)
            for port, (outcome, ms, detail) in zip(
                self.settings.gateway_ports, results, strict=True
            )
        ]
        return GatewayFacts(
            address=address,
            source=source,
            answers=any(p.outcome == "open" for p in probes),
            probes=probes,
        )

    async def dns(self) -> DnsFacts:
        """Each test name through the system's resolver, and through each extra server."""
        try:
            servers = await self.backend.dns_servers()
        except Unknown:
            servers = []  # the list is a nice-to-have; the lookups are the check
        names = self.settings.dns_test_names
        lookups = [resolve_system(name, self.timeout) for name in names]
        lookups += [
            query_server(server, name, self.timeout)
            for server in self.settings.dns_servers
            for name in names
        ]
        return DnsFacts(servers=servers, lookups=list(await asyncio.gather(*lookups)))

    async def reachability(self) -> ReachabilityFacts:
        async def probe(endpoint: str) -> EndpointProbe:
            host, port = split_host_port(endpoint, 443)
            outcome, ms, detail = await tcp_probe(host, port, self.timeout)
            return EndpointProbe(
                endpoint=endpoint,
                reachable=outcome == "open",
                outcome=outcome,
                time_ms=ms if outcome == "open" else None,
                detail=detail,
            )

        probes = list(await asyncio.gather(*(probe(e) for e in self.settings.internet_endpoints)))
        return ReachabilityFacts(endpoints=probes, median_latency_ms=median_latency(probes))

    async def modem(self) -> ModemFacts:
        url = self.settings.modem_url
        if url is None:
            address, _source = await self.gateway_address()
            url = self._provider_router_page(address)
            if url is None and address is None:
                return ModemFacts(url=None)
            url = url or f"http://{address}/"
        started = time.perf_counter()
        # Modems use self-made certificates, and a proxy from the environment must not
        # stand in for the box on the customer's desk: only "does it answer" matters.
        async with httpx.AsyncClient(verify=False, trust_env=False, timeout=self.timeout) as client:
            try:
                response = await client.get(url)
            except httpx.TimeoutException:
                return ModemFacts(url=url, answers=False, error="timeout")
            except httpx.ConnectError as err:
                refused = isinstance(_root_cause(err), ConnectionRefusedError)
                return ModemFacts(
                    url=url,
                    answers=False,
                    error="refused" if refused else "unreachable",
                    detail=str(err) or None,
                )
            except httpx.HTTPError as err:
                return ModemFacts(url=url, answers=False, error="error", detail=str(err) or None)
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        # Any HTTP answer, even "401 login required", shows the modem is there.
        return ModemFacts(url=url, answers=True, status_code=response.status_code, time_ms=elapsed)

    def _provider_router_page(self, gateway: str | None) -> str | None:
        """The provider's routers' settings page, if the computer's router is one of them
        by its address (or either address is unknown): a router of the customer's own keeps
        ``http://<gateway>/``."""
        page, address = self.settings.router_admin_page, self.settings.router_address
        if page and (address is None or gateway is None or address == gateway):
            return page
        return None


def median_latency(probes: list[EndpointProbe]) -> float | None:
    times = [p.time_ms for p in probes if p.time_ms is not None]
    return round(statistics.median(times), 1) if times else None


def _root_cause(err: BaseException) -> BaseException:
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    return err
