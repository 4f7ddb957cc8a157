"""The checks' settings with the provider profile's values, and where each value came from.

A value set on this computer (`ISP_ASSISTANT_...`, see `assistant.diagnostics.settings`)
wins: whoever set it meant it. Else the verified profile's, where it names one. Else the
assistant's built-in default (e.g. 1.1.1.1 and 9.9.9.9 for the internet), the last resort.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from assistant.diagnostics.settings import DiagnosticsSettings
from isp_common.provider_profile import ProviderProfile


class ValueSource(StrEnum):
    COMPUTER = "computer"  # set on this computer
    PROVIDER = "provider"  # the provider's signed profile
    DEFAULT = "default"  # the assistant's own default


# Each setting the profile can give, and how to read it from the profile.
PROFILE_VALUES: dict[str, Callable[[ProviderProfile], object]] = {
    "internet_endpoints": lambda profile: [str(e) for e in profile.internet_endpoints],
    "dns_test_names": lambda profile: list(profile.dns_test_names),
    "mail_servers": lambda profile: list(profile.mail_servers),
    "router_address": lambda profile: profile.router.address,
    "router_admin_page": lambda profile: profile.router.admin_page,
}


def value_sources(
    settings: DiagnosticsSettings, profile: ProviderProfile | None
) -> dict[str, ValueSource]:
    """Where each of PROFILE_VALUES comes from, for `settings` as read on this computer."""
    sources = {}
    for name, read in PROFILE_VALUES.items():
        if name in settings.model_fields_set:
            sources[name] = ValueSource.COMPUTER
        elif profile is not None and read(profile):
            sources[name] = ValueSource.PROVIDER
        else:
            sources[name] = ValueSource.DEFAULT
    return sources


def with_profile(
    settings: DiagnosticsSettings, profile: ProviderProfile | None
) -> DiagnosticsSettings:
    """`settings` with the profile's values where nothing was set on this computer."""
    if profile is None:
        return settings
    sources = value_sources(settings, profile)
    changes = {
        name: read(profile)
        for name, read in PROFILE_VALUES.items()
        if sources[name] is ValueSource.PROVIDER
    }
    return settings.model_copy(update=changes)
