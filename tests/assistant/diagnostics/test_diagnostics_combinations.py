"""Findings that seem to contradict each other are read together: "the internet is
reachable" beside "your router does not answer" comes with one plain sentence that says
what that means and what to do, in English and in German; findings that agree get none.

The findings come from the real rules of each check, fed with facts built by hand."""

from __future__ import annotations

import pytest

from assistant.diagnostics import Thresholds
from assistant.diagnostics.checks import dns, gateway, modem, reachability
from assistant.diagnostics.combinations import RULES, read_together
from assistant.i18n import translator
from assistant.verdict import verdict
from isp_common.diagnostics.facts import (
    DnsFacts,
    DnsLookup,
    EndpointProbe,
    GatewayFacts,
    ModemFacts,
    PortProbe,
    ReachabilityFacts,
)
from isp_common.diagnostics.report import CheckResult, CheckStatus

LIMITS = Thresholds()


def result(module, facts) -> CheckResult:
    check = module.CHECK
    return CheckResult(
        check_id=check.id,
        category=check.category,
        premium=check.premium,
        title=check.title,
        status=CheckStatus.completed,
        duration_ms=1.0,
        facts=facts,
        findings=module.evaluate(facts, LIMITS),
    )


def internet(reachable: bool) -> CheckResult:
    probe = EndpointProbe(
        endpoint="192.0.2.10:443",
        reachable=reachable,
        outcome="open" if reachable else "timeout",
        time_ms=20.0 if reachable else None,
    )
    facts = ReachabilityFacts(endpoints=[probe], median_latency_ms=20.0 if reachable else None)
    return result(reachability, facts)


def router(answers: bool) -> CheckResult:
    probe = PortProbe(port=80, outcome="open" if answers else "timeout", time_ms=2.0)
    return result(gateway, GatewayFacts(address="192.168.178.1", answers=answers, probes=[probe]))


def names(ok: bool) -> CheckResult:
    lookup = DnsLookup(
        name="example.com",
        resolver="system",
        ok=ok,
        addresses=["192.0.2.1"] if ok else [],
        time_ms=12.0 if ok else None,
        error=None if ok else "timeout",
    )
    return result(dns, DnsFacts(lookups=[lookup]))


def settings_page(answers: bool) -> CheckResult:
    facts = ModemFacts(url="http://192.168.178.1/", answers=answers, time_ms=5.0)
    return result(modem, facts)


def ids(results) -> list[str]:
    return [combined.id for combined in read_together(results)]


def test_internet_works_though_the_router_does_not_answer():
    results = [router(False), names(True), internet(True), settings_page(False)]
    [combined] = read_together(results)
    assert combined.id == "internet.combined.router_silent_internet_works"
    assert "internet works" in combined.text
    assert "restart the router" in combined.text  # and what to do


def test_only_the_settings_page_is_silent_while_everything_else_works():
    results = [router(True), names(True), internet(True), settings_page(False)]
    assert ids(results) == ["internet.combined.settings_page_only"]


def test_names_do_not_resolve_while_addresses_answer():
    results = [router(True), names(False), internet(True), settings_page(True)]
    [combined] = read_together(results)
    assert combined.id == "internet.combined.names_fail_internet_works"
    assert "call us" in combined.text


def test_names_resolve_while_nothing_on_the_internet_answers():
    results = [router(True), names(True), internet(False), settings_page(True)]
    assert ids(results) == ["internet.combined.names_work_internet_down"]


@pytest.mark.parametrize(
    "results",
    [
        [router(True), names(True), internet(True), settings_page(True)],  # all well
        [router(False), names(False), internet(False), settings_page(False)],  # all down
        [router(False)],  # the other checks have not finished yet
    ],
    ids=["all-well", "all-down", "too-early"],
)
def test_findings_that_agree_need_no_explanation(results):
    assert read_together(results) == []


def test_a_check_that_could_not_run_contradicts_nothing():
    unknown = internet(True).model_copy(
        update={"status": CheckStatus.unknown, "findings": [], "reason": "no test addresses"}
    )
    assert read_together([router(False), unknown]) == []


def test_every_combination_is_one_or_two_plain_sentences_in_both_languages():
    results = [router(False), names(False), internet(True), settings_page(False)]
    assert len(RULES) >= 4
    for language in ("en", "de"):
        token = translator.language.set(language)
        try:
            texts = [combined.text for combined in read_together(results)]
        finally:
            translator.language.reset(token)
        assert texts, language
        for text in texts:
            assert text.count(". ") <= 1 and text.endswith("."), text
    token = translator.language.set("de")
    try:
        [combined] = read_together([router(False), names(True), internet(True)])
    finally:
        translator.language.reset(token)
    assert "Internet funktioniert" in combined.text


def test_the_verdict_carries_the_explanations_beside_the_traffic_light():
    found = verdict([router(False), names(True), internet(True)])
    assert found.light == "critical"
    assert [combined.id for combined in found.combined] == [
        "internet.combined.router_silent_internet_works"
    ]
