"""The live channel's fixtures (tests/support/live_fixtures.py) and the virtual screen
of the screen sharing's tests (tests/assistant/screen/conftest.py)."""

from tests.assistant.screen.conftest import desktop, x_display  # noqa: F401 (fixtures)
from tests.support.live_fixtures import (  # noqa: F401 (fixtures)
    assistant_for,
    assistant_in_english,
    customer_assistant,
    customer_page,
    redis_url,
    settings,
    staff_client,
    staff_page,
    world,
)
