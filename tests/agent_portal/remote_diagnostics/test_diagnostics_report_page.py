"""The report page as the agent reads it, in German and in English: every fact has a label
in the page's language and its value is written the way that language writes it (yes/no,
grouped counts, sizes, percentages, durations); a problem the report names by its code is
a sentence, the computer's own message is marked as technical detail; the log names the
agent and the device. The report travels the real way: asked in the portal, allowed and
sent on the device channel."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import httpx
import pytest

from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from isp_common.diagnostics.facts import (
    AccountFacts,
    CpuFacts,
    GatewayFacts,
    MemoryFacts,
    ModemFacts,
    Partition,
    PortProbe,
    ProcessFacts,
    ProcessInfo,
    StorageFacts,
    UptimeFacts,
)
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    HostInfo,
)
from tests.agent_portal.realtime.test_device_channel import channel, hello_with
from tests.agent_portal.remote_diagnostics.test_diagnostics_channel import ask, frame_of
from tests.support.portal_data import TLS_CHECK

FACTS = [
    ("computer.memory", Category.computer, "Arbeitsspeicher", MemoryFacts(
        total_bytes=16_000_000_000,
        available_bytes=9_200_000_000,
        used_bytes=6_800_000_000,
        percent=42.3,
        swap_total_bytes=2_000_000_000,
        swap_used_bytes=30_400,
        swap_percent=0.5,
    )),
    ("computer.processes", Category.computer, "Programme", ProcessFacts(
        process_count=26_486,
        logical_cpus=8,
        sample_seconds=1.5,
        top_cpu=[ProcessInfo(
            pid=4242, name="firefox", cpu_percent=12.5,
            memory_bytes=1_234_500_000, memory_percent=7.7,
        )],
        top_memory=[],
    )),
    ("computer.cpu", Category.computer, "Prozessor", CpuFacts(
        logical_cpus=8, physical_cpus=4, percent=12.5, sample_seconds=0.5,
        frequency_mhz=3400.0,
    )),
    ("computer.storage", Category.computer, "Speicherplatz", StorageFacts(partitions=[
        Partition(
            device="/dev/sda1", mountpoint="/", fstype="ext4",
            total_bytes=500_000_000_000, used_bytes=250_000_000_000,
            free_bytes=250_000_000_000, percent=50.0,
        )
    ])),
    ("computer.uptime", Category.computer, "Laufzeit", UptimeFacts(
        boot_time=datetime(2026, 1, 2, 6, 0, tzinfo=UTC), uptime_seconds=3 * 86_400 + 4 * 3_600,
    )),
    ("security.accounts", Category.security, "Benutzerkonto", AccountFacts(
        os_family="linux", user="erika", is_superuser=True, is_admin=False,
    )),
    ("internet.gateway", Category.internet, "Router", GatewayFacts(
        address="192.168.178.1", answers=False,
        probes=[PortProbe(port=80, outcome="timeout")],
    )),
    ("internet.modem", Category.internet, "Modem", ModemFacts(
        url="http://192.168.178.1/", answers=False, error="unreachable",
        detail="All connection attempts failed",
    )),
]  # fmt: skip


def the_report() -> dict:
    checks = [
        CheckResult(
            check_id=check_id,
            category=category,
            premium=False,
            title=title,
            status=CheckStatus.completed,
            duration_ms=12.5,
            facts=facts,
        )
        for check_id, category, title, facts in FACTS
    ]
    host = HostInfo(
        hostname="wohnzimmer",
        os_family="linux",
        os_name="Debian 12",
        os_version="12",
        machine="x86_64",
        assistant_version="1.0",
    )
    report = DiagnosticsReport(
        language="de", started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), host=host, checks=checks
    )
    return report.model_dump(mode="json")


class _Text(HTMLParser):
    """What a person reads on a page: the text outside scripts, and each `code` element."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.code: list[str] = []
        self._skip = 0
        self._in_code = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self._in_code += tag == "code"

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")
        self._in_code -= tag == "code"

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._in_code:
                self.code.append(data)


def readable(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.text = " ".join(" ".join(parser.parts).split())
    return parser


def section(html: str, test_id: str) -> str:
    found = re.search(rf'<[^<]*data-testid="{test_id}".*?</(?:section|ul)>', html, re.S)
    return readable(found.group(0)).text


@pytest.fixture
def report_page(portal, world):
    """(page(language) -> html): a report sent by the customer's device, read by Anna."""
    customer = world.customer()
    device, key = world.device(customer, name="Wohnzimmer-PC")
    anna = world.staff("anna.berger", name="Anna Berger")
    with channel(portal) as socket:
        assert hello_with(socket, key)["type"] == "welcome"
        ask(portal, anna, customer, device)
        rid = frame_of(socket, "consent.request")["consent_id"]
        socket.send(json.dumps({"type": "consent.answer", "consent_id": rid, "granted": True}))
        socket.send(
            json.dumps({"type": "diagnostics.report", "request_id": rid, "report": the_report()})
        )
        frame_of(socket, "diagnostics.received")
    (record,) = world.rows(DiagnosticsReportRecord)
    web = httpx.Client(
        verify=TLS_CHECK,
        base_url=portal.url,
        headers={"Cookie": f"portal_session={anna.token}"},
        timeout=30,
    )

    def page(language: str) -> str:
        response = web.get(f"/portal/diagnostics/reports/{record.id}?lang={language}")
        assert response.status_code == 200
        return response.text

    yield page
    web.close()


def test_the_german_page_labels_every_fact_and_writes_values_the_german_way(report_page):
    html = report_page("de")
    page = readable(html)
    facts = section(html, "facts")
    assert "True" not in page.text and "False" not in page.text
    assert re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", facts) == []  # no field names
    assert "logical cpus" not in facts and "is superuser" not in facts
    for label_and_value in (
        "Antwortet Nein",  # the router's answers: False
        "Arbeitet mit vollen Rechten Ja",  # is_superuser: True
        "Laufende Prozesse 26.486",
        "Logische Prozessoren 8",
        "Gesamt 16 GB",
        "Auslagerung belegt 30,4 kB",
        "Belegter Anteil 42,3 %",
        "Takt 3.400 MHz",
        "Laufzeit 3 Tage, 4 Stunden",
        "Prozessnummer 4242",  # a number that names, not counts: no separator
    ):
        assert label_and_value in facts
    # The modem's problem by its code, as a sentence; httpx's words only as a detail.
    assert "Problem Nicht erreichbar: der Computer findet keinen Weg zu dieser Adresse" in facts
    assert page.code == ["All connection attempts failed"]
    assert "Technische Angabe All connection attempts failed" in facts


def test_the_english_page_writes_the_same_values_the_english_way(report_page):
    facts = section(report_page("en"), "facts")
    for label_and_value in (
        "Answers No",
        "Working with full rights Yes",
        "Running processes 26,486",
        "Swap used 30.4 kB",
        "Share used 42.3%",
        "Running for 3 days, 4 hours",
        "Problem Not reachable: the computer finds no way to this address",
        "Technical detail All connection attempts failed",
    ):
        assert label_and_value in facts


def test_the_log_names_the_agent_and_the_device(report_page):
    log = section(report_page("de"), "request-log")
    assert "angefragt (Anna Berger)" in log
    assert "vom Kunden erlaubt (Wohnzimmer-PC)" in log
    assert "Bericht erhalten (Wohnzimmer-PC)" in log
    assert "staff:" not in log and "device:" not in log
