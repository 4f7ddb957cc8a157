"""The feature catalogue: what the assistant can do, and which subscription tier includes it.

One catalogue for both sides: the server puts feature ids into entitlements, the assistant's
gate checks them, and both show the titles. Titles and descriptions are English source
texts; each side translates them. Which diagnostics checks belong to which feature is decided
where the checks are defined, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from isp_common.errors import UnknownFeature


class Tier(StrEnum):
    NONE = "none"
    PREMIUM = "premium"
    PREMIUM_PLUS = "premium_plus"

    @property
    def rank(self) -> int:
        return _TIER_ORDER.index(self)


_TIER_ORDER = (Tier.NONE, Tier.PREMIUM, Tier.PREMIUM_PLUS)


class FeatureCategory(StrEnum):
    """Where a feature belongs in the premium catalogue. Not a diagnostics check's category
    (`isp_common.diagnostics.report.Category`): features include what no check does
    (maintenance, service), and several checks can make up one feature."""

    CONNECTION = "connection"
    EMAIL = "email"
    COMPUTER = "computer"
    SECURITY = "security"
    MAINTENANCE = "maintenance"
    SERVICE = "service"


FREE = frozenset(_TIER_ORDER)
PREMIUM = frozenset({Tier.PREMIUM, Tier.PREMIUM_PLUS})
PREMIUM_PLUS_ONLY = frozenset({Tier.PREMIUM_PLUS})


@dataclass(frozen=True, slots=True)
class Feature:
    id: str
    category: FeatureCategory
    tiers: frozenset[Tier]
    title: str
    description: str

    @property
    def minimum_tier(self) -> Tier:
        return min(self.tiers, key=lambda tier: tier.rank)

    @property
    def is_free(self) -> bool:
        return Tier.NONE in self.tiers


FEATURES: tuple[Feature, ...] = (
    Feature(
        "internet_check",
        FeatureCategory.CONNECTION,
        FREE,
        "Internet check",
        "Checks whether your internet connection works and how fast it is.",
    ),
    Feature(
        "wifi_check",
        FeatureCategory.CONNECTION,
        FREE,
        "Wi-Fi check",
        "Checks the signal and settings of your Wi-Fi.",
    ),
    Feature(
        "modem_check",
        FeatureCategory.CONNECTION,
        FREE,
        "Modem check",
        "Checks whether your modem or router can be reached and answers.",
    ),
    Feature(
        "email_check",
        FeatureCategory.EMAIL,
        FREE,
        "E-mail check",
        "Checks whether your e-mail program can reach the mail servers.",
    ),
    Feature(
        "connection_quick_links",
        FeatureCategory.CONNECTION,
        FREE,
        "Quick links to connection settings",
        "Opens your network, Wi-Fi and e-mail settings with one click, right under the "
        "finding that needs them.",
    ),
    Feature(
        "system_info",
        FeatureCategory.COMPUTER,
        PREMIUM,
        "System information",
        "Shows your computer's operating system, memory and processor.",
    ),
    Feature(
        "process_list",
        FeatureCategory.COMPUTER,
        PREMIUM,
        "Running programs",
        "Shows which programs are running and how much they use.",
    ),
    Feature(
        "disk_health",
        FeatureCategory.COMPUTER,
        PREMIUM,
        "Disk health",
        "Shows how full your disks are and whether they report problems.",
    ),
    Feature(
        "security_overview",
        FeatureCategory.SECURITY,
        PREMIUM,
        "Security overview",
        "Shows whether virus protection, firewall and updates are switched on.",
    ),
    Feature(
        "security_warnings",
        FeatureCategory.SECURITY,
        PREMIUM,
        "Security warnings",
        "Warns you in plain words when your computer's protection has a gap.",
    ),
    Feature(
        "cleanup",
        FeatureCategory.MAINTENANCE,
        PREMIUM,
        "PC and browser cleanup",
        "Removes temporary files and the caches of your web browsers to free up space.",
    ),
    Feature(
        "quick_links",
        FeatureCategory.MAINTENANCE,
        PREMIUM,
        "Quick links to computer settings",
        "Opens the settings for storage, power, running programs, firewall, virus protection, "
        "updates and user accounts with one click. Quick links to network, Wi-Fi and e-mail "
        "settings are free.",
    ),
    Feature(
        "more_devices",
        FeatureCategory.SERVICE,
        PREMIUM_PLUS_ONLY,
        "More devices",
        "Use Premium on more of your household's computers.",
    ),
    Feature(
        "technician_visit",
        FeatureCategory.SERVICE,
        PREMIUM_PLUS_ONLY,
        "Technician visit",
        "A technician comes to your home when the problem cannot be solved remotely.",
    ),
)

_BY_ID: dict[str, Feature] = {feature.id: feature for feature in FEATURES}


def get_feature(feature_id: str) -> Feature:
    try:
        return _BY_ID[feature_id]
    except KeyError:
        raise UnknownFeature(f"no feature {feature_id!r} in the catalogue") from None


def find_feature(feature_id: str) -> Feature | None:
    return _BY_ID.get(feature_id)


def features_for_tier(tier: Tier | str) -> tuple[Feature, ...]:
    """Every feature the tier includes, free ones too, in catalogue order."""
    tier = Tier(tier)
    return tuple(feature for feature in FEATURES if tier in feature.tiers)


def feature_ids_for_tier(tier: Tier | str) -> tuple[str, ...]:
    """The feature ids a server puts into an entitlement of this tier."""
    return tuple(feature.id for feature in features_for_tier(tier))


def is_premium(feature_id: str) -> bool:
    """True if the feature needs a paid tier; raises UnknownFeature for an unknown id."""
    return not get_feature(feature_id).is_free
