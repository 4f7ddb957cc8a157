"""The ratings run in the portal and the real assistant: the live channel's fixtures (a
world to arrange customers, devices and experts in, the portal's settings, the assistant
and both sides' browser pages)."""

from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.support.live_fixtures import (  # noqa: F401 (fixtures)
    assistant_in_english,
    customer_assistant,
    customer_page,
    settings,
    staff_page,
    world,
)
