"""The connection checks against real servers on 127.0.0.1 and ports where nothing listens."""

from __future__ import annotations

from assistant.diagnostics import CheckStatus, Severity
from assistant.diagnostics.catalogue import get_check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.runner import run_check
from tests.assistant.diagnostics.diagnostics_support import closed_port, loopback_settings, run


def check(check_id: str, **settings):
    collectors = Collectors.create(loopback_settings(**settings))
    return run(run_check(get_check(check_id), collectors))


def ids(result) -> list[str]:
    return [f.id for f in result.findings]


def test_a_gateway_where_nothing_listens_does_not_answer():
    result = check("internet.gateway", gateway="127.0.0.9", gateway_ports=[closed_port()])
    assert result.status is CheckStatus.completed
    assert result.facts.answers is False
    assert result.facts.probes[0].outcome == "refused"
    assert ids(result) == ["internet.gateway.no_answer"]
    assert result.severity is Severity.critical
    assert "127.0.0.9" in result.findings[0].explanation


def test_a_gateway_that_accepts_on_one_port_answers(tcp_server):
    router = tcp_server(lambda conn: conn.close())
    result = check("internet.gateway", gateway_ports=[closed_port(), router.port])
    assert result.facts.answers is True
    assert [p.outcome for p in result.facts.probes] == ["refused", "open"]
    assert ids(result) == ["internet.gateway.ok"]


def test_the_system_resolver_finds_localhost():
    result = check("internet.dns", dns_test_names=["localhost"])
    (lookup,) = result.facts.lookups
    assert lookup.resolver == "system" and lookup.ok
    assert "127.0.0.1" in lookup.addresses or "::1" in lookup.addresses
    assert ids(result) == ["internet.dns.ok"]


def test_a_dns_server_on_a_closed_port_refuses():
    server = f"127.0.0.1:{closed_port()}"
    result = check("internet.dns", dns_servers=[server])
    asked = [lookup for lookup in result.facts.lookups if lookup.resolver == server]
    assert asked[0].ok is False and asked[0].error == "refused"
    assert "internet.dns.server_refused" in ids(result)
    assert result.severity is Severity.warning


def test_dns_server_answers_refusals_failures_and_silence(dns_server):
    answering, refusing = dns_server("answer"), dns_server("refused")
    failing, silent = dns_server("servfail"), dns_server("silent")
    result = check(
        "internet.dns",
        dns_test_names=["www.example-isp.test"],
        dns_servers=[s.endpoint for s in (answering, refusing, failing, silent)],
        network_timeout_seconds=0.5,
    )
    by_server = {lookup.resolver: lookup for lookup in result.facts.lookups}
    assert by_server[answering.endpoint].addresses == ["127.0.0.7"]
    assert by_server[answering.endpoint].ok
    assert by_server[refusing.endpoint].error == "refused"
    assert by_server[failing.endpoint].error == "server_failure"
    assert by_server[silent.endpoint].error == "timeout"
    assert silent.queries == 1
    found = ids(result)
    assert "internet.dns.server_refused" in found
    assert "internet.dns.server_timeout" in found
    assert "internet.dns.server_failed" in found


def test_the_internet_unreachable_and_reachable(tcp_server):
    offline = check("internet.reachability")
    assert ids(offline) == ["internet.reachability.offline"]
    assert offline.severity is Severity.critical
    server = tcp_server(lambda conn: conn.close())
    endpoints = [f"127.0.0.1:{server.port}", f"127.0.0.1:{closed_port()}"]
    partly = check("internet.reachability", internet_endpoints=endpoints)
    assert [e.reachable for e in partly.facts.endpoints] == [True, False]
    assert partly.facts.median_latency_ms is not None
    assert "internet.reachability.partial" in ids(partly)


def test_the_modem_page_answering_with_a_login_prompt_counts(http_server):
    result = check("internet.modem", modem_url=http_server(401))
    assert (result.facts.answers, result.facts.status_code) == (True, 401)
    assert ids(result) == ["internet.modem.ok"]


def test_a_modem_page_nobody_serves_is_a_warning():
    result = check("internet.modem", modem_url=f"http://127.0.0.1:{closed_port()}/")
    assert (result.facts.answers, result.facts.error) == (False, "refused")
    assert ids(result) == ["internet.modem.no_answer"]
    assert result.severity is Severity.warning


def test_the_modem_page_defaults_to_the_gateway_address():
    result = check("internet.modem", modem_url=None, gateway="127.0.0.3")
    assert result.facts.url == "http://127.0.0.3/"


def test_a_name_with_german_letters_is_asked_for_as_written():
    """IDNA 2008: the resolver is asked for straße.de itself (xn--strae-oqa), not for
    strasse.de, a different domain that IDNA 2003 would have asked for instead."""
    from assistant.diagnostics.collectors.dns import build_query

    query = build_query("Straße.de", query_id=1)
    assert b"\rxn--strae-oqa\x02de\x00" in query
    assert b"strasse" not in query
