"""Fixtures of the edge tests: the auth tests' database and logged-in clients."""

from tests.agent_portal.auth.conftest import client_for, database, http

__all__ = ["client_for", "database", "http"]
