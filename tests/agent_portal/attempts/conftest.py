"""Premium against the portal (tests/support/premium_portal.py)."""

from tests.support.premium_portal import agent, api, assistants, keys, staff_member  # noqa: F401 (fixtures)
