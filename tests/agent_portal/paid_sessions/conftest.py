"""Paid sessions run on the live channel: their tests use the live channel's fixtures."""

from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.support.live_fixtures import (  # noqa: F401 (fixtures)
    assistant_for,
    assistant_in_english,
    customer_assistant,
    customer_page,
    settings,
    staff_client,
    staff_page,
    world,
)
