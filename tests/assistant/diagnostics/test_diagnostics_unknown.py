"""A check that could not run says why in one line and, where the customer can do something
about it, what, in another: never the same sentence twice (the row and its opened details
showed the firewall's "No firewall program … was found." once each)."""

from __future__ import annotations

import asyncio

from assistant.diagnostics.catalogue import Check, get_check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.errors import AccessDenied, NotSupported, ToolMissing, Unknown
from assistant.diagnostics.platform._linux import LinuxBackend
from assistant.diagnostics.runner import run_check
from assistant.i18n import translator
from isp_common.diagnostics.report import Category, CheckStatus
from tests.assistant.diagnostics.diagnostics_support import loopback_settings, run


def without_firewall_programs(tmp_path) -> Collectors:
    runner = CommandRunner(path=str(tmp_path))  # an empty folder: no ufw, firewalld or nft
    return Collectors.create(loopback_settings(), runner=runner, backend=LinuxBackend(runner))


def test_the_firewall_unknown_says_why_once_and_what_to_do_apart(tmp_path):
    result = run(run_check(get_check("security.firewall"), without_firewall_programs(tmp_path)))
    assert result.status is CheckStatus.unknown
    assert result.reason == "No firewall program (ufw, firewalld or nftables) was found."
    assert result.advice and result.advice != result.reason
    assert "router's firewall" in result.advice
    assert result.reason not in result.advice


def test_the_advice_is_in_the_reports_language(tmp_path):
    token = translator.language.set("de")
    try:
        result = run(run_check(get_check("security.firewall"), without_firewall_programs(tmp_path)))
    finally:
        translator.language.reset(token)
    assert result.reason.startswith("Es wurde kein Firewall-Programm")
    assert "Firewall Ihres Routers" in result.advice


def check_raising(error: Exception, timeout: float | None = None) -> Check:
    async def collect(ctx):
        if timeout is not None:
            await asyncio.sleep(timeout * 10)
        raise error

    return Check(
        id="computer.example",
        category=Category.computer,
        premium=True,
        title_msgid="Example",
        description_msgid="",
        collect=collect,
        evaluate=lambda facts, limits: [],
        order=999,
        timeout=timeout,
    )


def test_each_kind_of_unknown_says_what_it_means_for_the_customer():
    collectors = Collectors.create(loopback_settings())
    advice = {}
    for kind in (AccessDenied, ToolMissing, NotSupported):
        result = run(run_check(check_raising(kind("The computer did not say.")), collectors))
        assert result.reason == "The computer did not say."
        assert result.advice and result.advice != result.reason, kind.__name__
        advice[kind] = result.advice
    assert len(set(advice.values())) == 3  # each kind its own advice
    plain = run(run_check(check_raising(Unknown("No mail servers are configured.")), collectors))
    assert plain.advice is None  # nothing to do: the reason alone is said


def test_a_check_that_took_too_long_says_to_check_again():
    collectors = Collectors.create(loopback_settings())
    result = run(run_check(check_raising(Unknown("never"), timeout=0.05), collectors))
    assert result.status is CheckStatus.timed_out
    assert result.advice and result.advice != result.reason
    assert "again" in result.advice
