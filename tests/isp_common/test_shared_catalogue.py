"""The server knows the checks only from `isp_common/diagnostics/checks.json`: it must say
what the assistant's checks do, or an article could name a finding no rule makes, or miss
a new one. A rule reading its findings' ids and titles is kept here, where the assistant's
source may be read."""

from __future__ import annotations

import difflib
import json

from isp_common.diagnostics.catalogue import CATALOGUE_PATH, ChecksCatalogue, shared_catalogue
from tests.support.diagnostics_catalogue import assistant_catalogue, catalogue_text, read_rules

REWRITE = "python -m tests.support.diagnostics_catalogue"


def disagreement(kept: dict, made: dict) -> str:
    """What differs, as a diff of the two files; empty when they agree."""
    return "".join(
        difflib.unified_diff(
            catalogue_text(kept).splitlines(keepends=True),
            catalogue_text(made).splitlines(keepends=True),
            "checks.json (kept)",
            "checks.json (as the assistant's checks make it)",
        )
    )


def test_the_shared_catalogue_says_what_the_assistants_checks_and_their_texts_say():
    kept = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    diff = disagreement(kept, assistant_catalogue())
    assert not diff, f"the shared catalogue is out of step; write it anew with `{REWRITE}`:\n{diff}"


def test_a_finding_the_rules_no_longer_make_is_a_disagreement():
    made = assistant_catalogue()
    kept = json.loads(catalogue_text(made))
    kept["checks"][0]["findings"].append(
        {"id": "internet.interfaces.gone", "severity": "info", "title": None}
    )
    kept["checks"][1]["title"]["de"] = "Ein anderer Titel"
    diff = disagreement(kept, made)
    assert "internet.interfaces.gone" in diff
    assert "Ein anderer Titel" in diff


def test_the_shared_catalogue_reads_as_its_model_with_titles_in_both_languages():
    catalogue = shared_catalogue()
    assert isinstance(catalogue, ChecksCatalogue)
    wifi = next(check for check in catalogue.checks if check.id == "internet.wifi")
    weak = next(item for item in wifi.findings if item.id == "internet.wifi.weak_signal")
    assert weak.title.text("en") == "The Wi-Fi signal is weak"
    assert weak.title.text("de") == "Das WLAN-Signal ist schwach"
    dns = next(check for check in catalogue.checks if check.id == "internet.dns")
    assert dns.families == ("internet.dns.server_",)


def test_a_rule_module_is_read_without_running_it():
    source = """
OFF = N_("The thing is off")

def evaluate(facts, limits):
    if facts.off:
        return [finding("demo.thing.off", Severity.warning, OFF, N_("..."))]
    kind = "slow" if facts.slow else "odd"
    return [finding(f"demo.thing.{kind}", Severity.info, N_("Odd"), N_("...")),
            finding("demo.thing.ok", Severity.ok, N_("All is well"), N_("..."))]
"""
    found, families = read_rules(source, "demo.thing")
    assert [(f.id, f.title_msgid, f.severity) for f in found] == [
        ("demo.thing.off", "The thing is off", "warning"),
        ("demo.thing.ok", "All is well", "ok"),
    ]
    assert families == ["demo.thing."]
