"""The feature catalogue: what is free, what premium and premium plus add."""

from __future__ import annotations

import pytest

from isp_common.errors import UnknownFeature
from isp_common.features import FEATURES, Tier, feature_ids_for_tier, features_for_tier, is_premium


def test_connection_and_mail_checks_are_free_for_everyone():
    free = set(feature_ids_for_tier(Tier.NONE))

    assert {"internet_check", "wifi_check", "modem_check", "email_check"} <= free
    assert not any(is_premium(feature_id) for feature_id in free)


def test_premium_adds_the_computer_security_and_cleanup_features():
    added = set(feature_ids_for_tier(Tier.PREMIUM)) - set(feature_ids_for_tier(Tier.NONE))

    assert added == {
        "system_info",
        "process_list",
        "disk_health",
        "security_overview",
        "security_warnings",
        "cleanup",
        "quick_links",
    }
    assert all(is_premium(feature_id) for feature_id in added)


def test_premium_plus_adds_more_devices_and_a_technician_visit():
    plus = set(feature_ids_for_tier(Tier.PREMIUM_PLUS))

    assert plus - set(feature_ids_for_tier(Tier.PREMIUM)) == {"more_devices", "technician_visit"}
    assert plus == {feature.id for feature in FEATURES}


def test_every_feature_has_a_unique_id_a_title_and_a_description():
    ids = [feature.id for feature in FEATURES]

    assert len(set(ids)) == len(ids)
    assert all(feature.title and feature.description.endswith(".") for feature in FEATURES)
    assert features_for_tier("premium") == features_for_tier(Tier.PREMIUM)


def test_an_unknown_feature_is_an_error_not_a_guess():
    with pytest.raises(UnknownFeature):
        is_premium("teleportation")
