"""Screen sharing's fixtures: the live channel's (tests/support/live_fixtures.py)."""

from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.support.live_fixtures import (  # noqa: F401 (fixtures)
    agent_http,
    assistant_in_english,
    redis_url,
    settings,
    staff_client,
    staff_page,
    world,
)
