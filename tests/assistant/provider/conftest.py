"""The provider profile's fixtures (tests/support/provider_fixtures.py)."""

from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.support.premium_portal import keys  # noqa: F401 (a fixture)
from tests.support.provider_fixtures import (  # noqa: F401 (fixtures)
    mail_server,
    provider_settings,
    settings,
    start_assistant,
)
