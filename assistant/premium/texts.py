"""Premium's sentences for the customer, in the current language (German or English).

Errors and statuses travel as stable codes; this module turns them into sentences with the
assistant's catalogue (`assistant.i18n`). The English sentences of `isp_common` (errors,
feature titles) are translated here too, since the assistant is where customers read them.
"""

from __future__ import annotations

from assistant.i18n import _
from assistant.premium import errors as premium_errors
from assistant.premium.cleanup.models import RootPreview, RootReport, RootStatus, SkipReason
from assistant.premium.cleanup.roots import RootKind
from assistant.premium.gate import LockReason
from isp_common import errors as common_errors
from isp_common.entitlements import EntitlementSource
from isp_common.features import FEATURES, Feature, Tier, find_feature

LOCK_REASONS = {
    LockReason.UNKNOWN_FEATURE: common_errors.UnknownFeature.message,
    LockReason.NO_ENTITLEMENT: (
        "This feature is part of Premium. "
        "Ask the hotline for a one-time code, or subscribe to Premium."
    ),
    LockReason.EXPIRED: common_errors.TokenExpired.message,
    LockReason.TIER_TOO_LOW: "This feature is part of Premium Plus.",
    LockReason.NOT_INCLUDED: "This feature is not included in your subscription.",
}

SKIP_REASONS = {
    SkipReason.IN_USE: "Open in a program, so it was left alone.",
    SkipReason.RECENTLY_MODIFIED: "Changed only recently and may still be needed.",
    SkipReason.SYMBOLIC_LINK: "A shortcut to another place: left alone.",
    SkipReason.NOT_OWNED: "Belongs to another user.",
    SkipReason.SPECIAL_FILE: "Not an ordinary file: left alone.",
    SkipReason.CHANGED: "Changed after the overview, so it was left alone.",
    SkipReason.NO_PERMISSION: "The assistant may not delete it.",
}

ROOT_TITLES = {
    RootKind.TEMP_FILES: "Temporary files",
    RootKind.THUMBNAILS: "Thumbnails",
    RootKind.BROWSER_CACHE: "Cache of {browser}",
}

ROOT_STATUSES = {
    RootStatus.READY: "Ready to clean up.",
    RootStatus.BROWSER_RUNNING: (
        "{browser} is open. Please close {browser} so its cache can be cleaned up."
    ),
    RootStatus.CLEANED: "Cleaned up.",
    RootStatus.CHANGED: "This folder changed after the overview and was left alone.",
}

SOURCES = {
    EntitlementSource.SUBSCRIPTION: "Your subscription",
    EntitlementSource.AGENT_CODE: "One-time code from the hotline",
    EntitlementSource.OFFLINE_CODE: "Code from the hotline (offline)",
}

# Product names: the same in every language.
TIER_NAMES = {Tier.NONE: "Free", Tier.PREMIUM: "Premium", Tier.PREMIUM_PLUS: "Premium Plus"}

_PREMIUM_MESSAGES = {error.code: error.message for error in premium_errors.ALL_ERRORS}


def error_text(error: common_errors.IspCommonError | premium_errors.PremiumError) -> str:
    if isinstance(error, premium_errors.FeatureLocked):
        return lock_reason_text(error.reason)
    return _(error.message)


def text_for_code(code: str) -> str:
    """The sentence for an error code, e.g. one the server sent in a JSON answer."""
    message = common_errors.MESSAGES.get(code) or _PREMIUM_MESSAGES.get(code)
    return _(message or common_errors.IspCommonError.message)


def lock_reason_text(reason: str) -> str:
    return _(LOCK_REASONS.get(reason, LOCK_REASONS[LockReason.NO_ENTITLEMENT]))


def feature_title(feature: Feature | str) -> str:
    found = find_feature(feature) if isinstance(feature, str) else feature
    return _(found.title) if found else str(feature)


def feature_description(feature: Feature | str) -> str:
    found = find_feature(feature) if isinstance(feature, str) else feature
    return _(found.description) if found else ""


def tier_name(tier: Tier | str) -> str:
    tier = Tier(tier)
    return _(TIER_NAMES[tier]) if tier is Tier.NONE else TIER_NAMES[tier]


def source_text(source: EntitlementSource | str) -> str:
    return _(SOURCES[EntitlementSource(source)])


def skip_reason_text(reason: SkipReason | str) -> str:
    return _(SKIP_REASONS[SkipReason(reason)])


def root_title(root: RootPreview | RootReport) -> str:
    return _(ROOT_TITLES[root.kind]).format(browser=root.browser or "")


def root_status_text(root: RootPreview | RootReport) -> str:
    return _(ROOT_STATUSES[root.status]).format(browser=root.browser or "")


def source_texts() -> list[str]:
    """Every English sentence this module may show: each needs a German translation."""
    texts = [error.message for error in common_errors.ALL_ERRORS]
    texts += [error.message for error in premium_errors.ALL_ERRORS]
    texts += [text for feature in FEATURES for text in (feature.title, feature.description)]
    for table in (LOCK_REASONS, SKIP_REASONS, ROOT_TITLES, ROOT_STATUSES, SOURCES):
        texts += table.values()
    texts.append(TIER_NAMES[Tier.NONE])
    return list(dict.fromkeys(texts))
