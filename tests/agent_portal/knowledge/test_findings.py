"""The findings an article can explain come from the assistant's own rules (through the
shared catalogue of checks), with their titles in German and English; ids the rules never
make are refused."""

from __future__ import annotations

from agent_portal.knowledge.findings import diagnostics_catalogue
from assistant.diagnostics import catalogue


def test_the_catalogue_knows_the_findings_of_every_check_with_their_titles():
    findings = diagnostics_catalogue()
    ids = {info.id for info in findings.findings}
    assert {
        "internet.wifi.weak_signal",
        "internet.dns.failed",
        "computer.storage.almost_full",
        "security.firewall.off",
        "email.servers.certificate_untrusted",
        "internet.modem.no_answer",
        "security.updates.pending",
    } <= ids
    # Every check of the assistant contributes findings named after it.
    check_ids = {check.id for check in catalogue()}
    assert {info.check_id for info in findings.findings} == check_ids
    assert all(info.id.startswith(f"{info.check_id}.") for info in findings.findings)
    assert findings.title("internet.wifi.weak_signal", "en") == "The Wi-Fi signal is weak"
    assert findings.title("internet.wifi.weak_signal", "de") == "Das WLAN-Signal ist schwach"
    # Placeholders filled in at run time are shown as an ellipsis.
    assert findings.title("computer.storage.almost_full", "de") == "Das Laufwerk … ist fast voll"


def test_ids_built_at_run_time_are_accepted_by_their_prefix_only():
    findings = diagnostics_catalogue()
    assert findings.is_known("internet.dns.server_timeout")  # f"internet.dns.server_{problem}"
    assert not findings.is_known("internet.dns.server_")
    assert not findings.is_known("internet.dns.server_x; drop")
    assert not findings.is_known("internet.teleport.broken")
    assert not findings.is_known("")


def test_the_editor_offers_problems_grouped_by_check_but_not_all_is_well_findings():
    groups = diagnostics_catalogue().choices("de")
    offered = {choice.id: choice.title for group in groups for choice in group.choices}
    assert offered["internet.wifi.weak_signal"] == "Das WLAN-Signal ist schwach"
    assert "internet.wifi.ok" not in offered
    titles = [group.title for group in groups]
    assert titles.index("WLAN") < titles.index("Firewall")  # in report order
    kept = diagnostics_catalogue().choices("en", keep=["internet.wifi.ok"])
    assert "internet.wifi.ok" in {c.id for group in kept for c in group.choices}
