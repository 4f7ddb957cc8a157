"""The connection rules at their thresholds: just below, at and just above each edge.

Facts are built by hand here on purpose: these tests are about the judgement; the
collectors that gather real facts have their own tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.diagnostics import Severity, Thresholds
from assistant.diagnostics.checks import (
    dns,
    interfaces,
    mail,
    reachability,
    wifi,
)
from isp_common.diagnostics.facts import (
    CertificateInfo,
    DnsFacts,
    DnsLookup,
    EndpointProbe,
    InterfaceAddress,
    InterfacesFacts,
    MailFacts,
    MailServerProbe,
    NetworkInterface,
    ReachabilityFacts,
    WifiFacts,
)

LIMITS = Thresholds()
GB = 10**9


def worst(findings) -> tuple[str, Severity]:
    top = max(findings, key=lambda f: f.severity.rank)
    return top.id, top.severity


@pytest.mark.parametrize(
    ("signal", "expected"),
    [
        (50.1, ("internet.wifi.ok", Severity.ok)),
        (50.0, ("internet.wifi.weak_signal", Severity.warning)),
        (25.1, ("internet.wifi.weak_signal", Severity.warning)),
        (25.0, ("internet.wifi.weak_signal", Severity.critical)),
        (24.9, ("internet.wifi.weak_signal", Severity.critical)),
    ],
)
def test_wifi_signal(signal, expected):
    facts = WifiFacts(
        adapter_present=True, connected=True, ssid="Heimnetz", signal_percent=signal, band="5 GHz"
    )
    assert worst(wifi.evaluate(facts, LIMITS)) == expected


def test_wifi_on_the_2_4_ghz_band_gets_a_note_beside_the_signal():
    facts = WifiFacts(
        adapter_present=True, connected=True, ssid="Heimnetz", signal_percent=80, band="2.4 GHz"
    )
    ids = [f.id for f in wifi.evaluate(facts, LIMITS)]
    assert ids == ["internet.wifi.ok", "internet.wifi.band_2_4"]


@pytest.mark.parametrize(
    ("latency", "expected"),
    [
        (99.9, ("internet.reachability.ok", Severity.ok)),
        (100.0, ("internet.reachability.slow", Severity.warning)),
        (299.9, ("internet.reachability.slow", Severity.warning)),
        (300.0, ("internet.reachability.slow", Severity.critical)),
    ],
)
def test_internet_latency(latency, expected):
    probe = EndpointProbe(
        endpoint="192.0.2.10:443", reachable=True, outcome="open", time_ms=latency
    )
    facts = ReachabilityFacts(endpoints=[probe], median_latency_ms=latency)
    assert worst(reachability.evaluate(facts, LIMITS)) == expected


@pytest.mark.parametrize(
    ("time_ms", "expected"),
    [(299.9, Severity.ok), (300.0, Severity.warning), (300.1, Severity.warning)],
)
def test_slow_name_lookups(time_ms, expected):
    lookup = DnsLookup(
        name="example.com", resolver="system", ok=True, addresses=["192.0.2.1"], time_ms=time_ms
    )
    assert worst(dns.evaluate(DnsFacts(lookups=[lookup]), LIMITS))[1] is expected


@pytest.mark.parametrize(("days_left", "expires_soon"), [(14.5, False), (14.0, True), (13.5, True)])
def test_a_mail_certificate_close_to_its_end(days_left, expires_soon):
    now = datetime(2024, 11, 24, tzinfo=UTC)
    certificate = CertificateInfo(
        subject_cn="imap.example-isp.test",
        not_before=now - timedelta(days=80),
        not_after=now + timedelta(days=days_left),
        self_signed=False,
    )
    probe = MailServerProbe(
        protocol="imap",
        host="imap.example-isp.test",
        port=993,
        security="ssl",
        reachable=True,
        outcome="open",
        tls_ok=True,
        certificate=certificate,
    )
    ids = {f.id for f in mail.evaluate(MailFacts(servers=[probe]), LIMITS, now=now)}
    assert ("email.servers.certificate_expires_soon" in ids) is expires_soon
    assert "email.servers.ok" in ids


@pytest.mark.parametrize(("speed", "slow"), [(99, True), (100, False), (1000, False)])
def test_cable_link_speed(speed, slow):
    cable = NetworkInterface(
        name="enp3s0",
        is_up=True,
        is_loopback=False,
        speed_mbps=speed,
        addresses=[
            InterfaceAddress(family="mac", address="3c:58:c2:7a:19:e4"),
            InterfaceAddress(family="ipv4", address="192.168.178.34"),
        ],
    )
    vpn = NetworkInterface(
        name="tun0",
        is_up=True,
        is_loopback=False,
        speed_mbps=10,
        addresses=[InterfaceAddress(family="ipv4", address="10.8.0.6")],
    )
    ids = {f.id for f in interfaces.evaluate(InterfacesFacts(interfaces=[cable, vpn]), LIMITS)}
    assert ("internet.interfaces.slow_link" in ids) is slow


def test_only_a_self_assigned_address_means_the_router_gave_none():
    cable = NetworkInterface(
        name="eth0",
        is_up=True,
        is_loopback=False,
        addresses=[
            InterfaceAddress(family="mac", address="3c:58:c2:7a:19:e4"),
            InterfaceAddress(family="ipv4", address="169.254.12.7"),
        ],
    )
    found = interfaces.evaluate(InterfacesFacts(interfaces=[cable]), LIMITS)
    assert worst(found) == ("internet.interfaces.no_address", Severity.critical)
