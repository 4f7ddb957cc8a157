"""Appointments run on the live channel: their tests use the live channel's fixtures;
`chat` is a customer's pre-chat with an expert, `expert_http` that expert's portal session
over HTTP."""

import httpx
import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from tests.agent_portal.experts.appointments.support import prechat
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
from tests.support.portal_data import TLS_CHECK


@pytest.fixture
def chat(world):  # noqa: F811 (the fixture above)
    return prechat(world)


@pytest.fixture
def expert_http(portal, world, chat):  # noqa: F811
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, follow_redirects=False
    ) as client:
        client.cookies.set(SESSION_COOKIE, chat.expert.token)
        yield client
