"""The check catalogue: stable ids, categories, which checks are free, selection."""

from __future__ import annotations

import pytest

from assistant.diagnostics import Category, catalogue, select_checks
from assistant.i18n import translator

FREE_CATEGORIES = {Category.internet, Category.email}


def test_every_check_has_a_unique_id_named_after_its_category():
    checks = catalogue()
    ids = [c.id for c in checks]
    assert len(ids) == len(set(ids))
    assert all(c.id.startswith(f"{c.category.value}.") for c in checks)
    assert {c.category for c in checks} == set(Category)


def test_internet_wifi_modem_and_mail_checks_are_free_the_rest_premium():
    for check in catalogue():
        assert check.premium == (check.category not in FREE_CATEGORIES), check.id
    free = {c.id for c in catalogue() if not c.premium}
    assert {"internet.wifi", "internet.modem", "email.servers", "internet.dns"} <= free
    premium = {c.id for c in catalogue() if c.premium}
    assert {"computer.processes", "computer.disk_health", "security.firewall"} <= premium


def test_selection_by_category_and_without_premium():
    internet = select_checks(categories=["internet"])
    assert internet and all(c.category is Category.internet for c in internet)
    free = select_checks(include_premium=False)
    assert free and not any(c.premium for c in free)
    assert [c.id for c in select_checks(check_ids=["security.updates"])] == ["security.updates"]
    assert select_checks(categories=["computer"], include_premium=False) == []


def test_an_unknown_check_id_or_category_is_an_error():
    with pytest.raises(ValueError, match="no such check"):
        select_checks(check_ids=["internet.teleport"])
    with pytest.raises(ValueError):
        select_checks(categories=["kitchen"])


def test_titles_follow_the_language_chosen_at_run_time():
    english = {c.id: c.title for c in catalogue()}
    token = translator.language.set("de")
    try:
        german = {c.id: (c.title, c.category_title) for c in catalogue()}
    finally:
        translator.language.reset(token)
    assert english["internet.wifi"] == "Wi-Fi"
    assert german["internet.wifi"] == ("WLAN", "Internet und WLAN")
    assert german["computer.memory"][0] == "Arbeitsspeicher"
