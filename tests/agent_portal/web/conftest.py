"""Fixtures of the portal form tests: the real portal on loopback and its database, as
`world` (see `tests.agent_portal.web.world`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.agent_portal.web.world import World


@pytest.fixture
def world(settings, portal_app, portal) -> Iterator[World]:
    world = World(settings, portal_app.state.server_keys, portal.url)
    yield world
    world.close()
