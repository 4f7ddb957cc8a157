"""The invoices in the assistant and the payout pages, between real browsers: the live
channel's fixtures."""

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
