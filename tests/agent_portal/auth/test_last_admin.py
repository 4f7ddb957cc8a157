"""The portal always keeps an active administrator, even when two admins take the role
from each other at the same moment: the database decides (on SQLite and PostgreSQL), not a
count read before either change was written."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from agent_portal.auth import accounts
from agent_portal.auth.errors import LastActiveAdmin
from agent_portal.auth.models import StaffMember
from agent_portal.database import utcnow

# Long enough for the second change to reach the database and wait there for the first.
HEAD_START = 0.5


def active_admins(database) -> int:
    with database.session() as db_session:
        return db_session.scalar(
            select(func.count())
            .select_from(StaffMember)
            .where(StaffMember.role == "admin", StaffMember.is_active)
        )


def deactivate(db_session, actor_id: int, member_id: int) -> None:
    accounts.deactivate(
        db_session=db_session,
        actor=db_session.get(StaffMember, actor_id),
        member=db_session.get(StaffMember, member_id),
        now=utcnow(),
    )


def demote(db_session, actor_id: int, member_id: int) -> None:
    member = db_session.get(StaffMember, member_id)
    accounts.change(
        db_session=db_session,
        actor=db_session.get(StaffMember, actor_id),
        member=member,
        fields=accounts.check_fields(display_name=member.display_name, role="agent", topics=[]),
        now=utcnow(),
    )


@pytest.mark.parametrize("action", [deactivate, demote])
def test_two_admins_removing_each_other_at_once_leave_one(database, action):
    ada = database.create_staff("ada", "admin", display_name="Ada")
    bea = database.create_staff("bea", "admin", display_name="Bea")

    def second_change() -> None:
        with database.session() as db_session:
            try:
                action(db_session, bea.id, ada.id)
                db_session.commit()
            except Exception:
                db_session.rollback()
                raise

    with database.session() as first, ThreadPoolExecutor(1) as pool:
        action(first, ada.id, bea.id)  # written, not yet committed
        second = pool.submit(second_change)
        time.sleep(HEAD_START)
        first.commit()
        with pytest.raises(LastActiveAdmin):
            second.result(timeout=60)

    assert active_admins(database) == 1
