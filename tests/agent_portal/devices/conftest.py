"""Premium devices against the portal (tests/support/premium_portal.py) and the device row
of the live portal pages (tests/support/live_fixtures.py); these tests keep the portal's own
settings."""

from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.support.live_fixtures import (  # noqa: F401 (fixtures)
    assistant_for,
    assistant_in_english,
    customer_assistant,
    customer_page,
    redis_url,
    staff_client,
    staff_page,
    world,
)
from tests.support.premium_portal import agent, api, assistants, keys, staff_member  # noqa: F401 (fixtures)
