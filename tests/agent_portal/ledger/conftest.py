"""A session factory on a fresh database of each kind (migrated to head)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agent_portal.database import make_engine, make_session_factory


@pytest.fixture
def ledger_sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()
