"""What an account change does beyond the database: a member whose access changed
(deactivated, another role, a new password) loses their open portal tabs' sockets at
once, on every worker, through the pub/sub (`realtime.schemas.AccessChanged`). Their
sessions are gone from the database by then, so a tab that reconnects is refused, or
carries the new role.

Call it after the commit: a socket reopened in between must find the change stored.
"""

from __future__ import annotations

from anyio import from_thread

from agent_portal.realtime.hub import LiveServices, staff_channel
from agent_portal.realtime.schemas import AccessChanged


async def end_live_access(
    live: LiveServices, staff_id: int, *, keep_session_id: int | None = None
) -> None:
    """Closes every staff socket of the member (but those of `keep_session_id`)."""
    await live.publish(staff_channel(staff_id), AccessChanged(keep_session_id=keep_session_id))


def end_live_access_now(
    live: LiveServices, staff_id: int, *, keep_session_id: int | None = None
) -> None:
    """`end_live_access` from a route that runs in a worker thread (a plain `def`)."""
    from_thread.run(lambda: end_live_access(live, staff_id, keep_session_id=keep_session_id))
