"""Fixtures of the expert search tests: the experts' own (a database session, an expert,
the starter category tree), for tests that go through the profiles' approval."""

from tests.agent_portal.experts.conftest import db_session, expert, tree

__all__ = ["db_session", "expert", "tree"]
