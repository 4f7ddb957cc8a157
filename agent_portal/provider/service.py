"""The provider profile from the settings, signed with the server's current key.

Signed at each request, so a rotation of the signing key reaches the next assistant that
asks; the ETag depends only on the settings and the key, so an assistant whose copy is
current is answered 304 without a body, whichever server process it reaches.
"""

from __future__ import annotations

from datetime import datetime

from agent_portal.provider.settings import ProviderSettings
from agent_portal.server_keys import ServerKeys
from isp_common.provider_profile import (
    Endpoint,
    ProviderProfile,
    SignedProviderProfile,
    sign_profile,
)


def profile_from_settings(*, settings: ProviderSettings, issued_at: datetime) -> ProviderProfile:
    return ProviderProfile(
        name=settings.name,
        hotline_phone=settings.hotline_phone,
        mail_servers=tuple(settings.mail_servers),
        internet_endpoints=tuple(Endpoint.parse(text) for text in settings.internet_endpoints),
        dns_test_names=tuple(settings.dns_test_names),
        router=settings.router(),
        issued_at=issued_at,
    )


def entity_tag(*, profile: ProviderProfile, keys: ServerKeys) -> str:
    """A weak ETag: the same settings under the same key are the same profile, whenever
    signed (each signature carries its own `issued_at`)."""
    return f'W/"{profile.fingerprint()}-{keys.signing.current_key_id}"'


def signed_profile(*, profile: ProviderProfile, keys: ServerKeys) -> SignedProviderProfile:
    return sign_profile(profile, keys.signing.sign_message)
