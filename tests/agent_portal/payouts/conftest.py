"""The payout pages run on the real portal: the form tests' `world`."""

from tests.agent_portal.web.conftest import world  # noqa: F401 (a fixture)
