"""The reminders' job in the running portal: an accepted appointment starting within the
reminder time reaches the expert's open portal tab as `appointment.reminder` and both sides
by mail, once, although the job runs every few tenths of a second; one not yet due and one
never accepted get nothing."""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from agent_portal.appointments import service
from agent_portal.database import utcnow
from agent_portal.mail.models import OutboundEmail
from tests.agent_portal.experts.appointments.support import (
    CUSTOMER_EMAIL,
    EXPERT_EMAIL,
    RULES,
    prechat,
)
from tests.support.live import wait_until

ZURICH = ZoneInfo("Europe/Zurich")


def propose_in(world, chat, after: timedelta, *, accept: bool) -> int:
    wall = (utcnow() + after).astimezone(ZURICH).replace(tzinfo=None, second=0, microsecond=0)
    with world.session() as db_session:
        appointment = service.propose(
            db_session=db_session,
            conversation_id=chat.conversation_id,
            staff_id=chat.expert.id,
            local_start=wall,
            time_zone="Europe/Zurich",
            duration_minutes=30,
            terms="free",
            price=None,
            now=utcnow(),
            rules=RULES,
        )
        if accept:
            service.accept(
                db_session=db_session,
                appointment_id=appointment.id,
                customer_id=chat.customer.id,
                now=utcnow(),
                rules=RULES,
            )
        db_session.commit()
        return appointment.id


def reminders(world) -> list[OutboundEmail]:
    return [
        m for m in world.rows(OutboundEmail) if m.subject.startswith(("Reminder", "Erinnerung"))
    ]


def test_the_job_reminds_both_once_by_socket_and_mail(portal, world, staff_client):
    chat = prechat(world)
    tab = staff_client(chat.expert)
    due = propose_in(world, chat, timedelta(minutes=11), accept=True)
    propose_in(world, chat, timedelta(hours=5), accept=True)
    propose_in(world, chat, timedelta(minutes=12), accept=False)
    frame = tab.next("appointment.reminder", timeout=20)
    assert frame["appointment"]["id"] == due
    assert frame["appointment"]["status"] == "accepted"
    wait_until(lambda: len(reminders(world)) == 2, what="the reminders by mail")
    time.sleep(1.5)  # several more rounds of the job
    sent = reminders(world)
    assert sorted(m.to_address for m in sent) == [CUSTOMER_EMAIL, EXPERT_EMAIL]
    assert [m.subject for m in sent if m.to_address == CUSTOMER_EMAIL][0].startswith(
        "Erinnerung: Termin mit Mira Keller um "
    )
    try:
        again = tab.next("appointment.reminder", timeout=1)
    except AssertionError:
        again = None
    assert again is None  # the tab heard of it once
