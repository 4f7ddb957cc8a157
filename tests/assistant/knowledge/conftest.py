"""Fixtures of the tests of help articles beside a finding: the real portal on loopback
(both databases) with articles written straight into its database, and the real
`isp-assistant --headless --server URL` (`start_assistant(server_url)`)."""

from __future__ import annotations

from tests.agent_portal.knowledge.conftest import author  # noqa: F401 (a fixture)
from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.assistant.premium.app.conftest import (  # noqa: F401 (fixtures)
    computer,
    narrow_page,
    start_assistant,
)
