"""Who commits: one unit of work per request, message or job step.

Service functions (`<domain>/service.py` and the domain modules beside it) flush and never
commit. What owns the work commits it once: the HTTP route, the socket message handler,
the background job or the CLI command. So the changes of several domains made for one
request (a device linked and its audit entry, say) are stored together or not at all.
The few deliberate exceptions are listed, with their reasons, in
`tests/agent_portal/app/test_unit_of_work.py`.

`committed(step)` makes a step for `LiveServices.run_db` that a handler or job owns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def committed(step: Callable[..., T]) -> Callable[..., T]:
    """`step(db_session=..., **kwargs)`, committed when it returns; nothing of it is stored
    when it raises (the session is closed, which rolls back)."""

    def run(*, db_session: Session, **kwargs: Any) -> T:
        result = step(db_session=db_session, **kwargs)
        db_session.commit()
        return result

    return run
