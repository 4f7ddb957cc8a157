"""A session factory on a fresh database of each kind, with a customer and an expert; and
the running portal with its database as `world` (`tests.agent_portal.web.world`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agent_portal.database import make_engine, make_session_factory
from tests.agent_portal.web.world import World
from tests.support import paid_money


@dataclass(frozen=True)
class People:
    customer_id: int
    account_number: str
    expert: paid_money.Expert


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def people(sessions) -> People:
    with sessions() as db_session:
        customer = paid_money.customer(db_session, "K-100234")
        expert = paid_money.expert(db_session)
        db_session.commit()
        return People(customer.id, customer.account_number, expert)


@pytest.fixture
def world(settings, portal_app, portal) -> Iterator[World]:
    world = World(settings, portal_app.state.server_keys, portal.url)
    yield world
    world.close()
