"""Appointments on both databases: an expert proposes one in a pre-chat (in their zone),
the customer accepts (both get the calendar entry), declines (nothing mailed) or cancels
(both get the cancellation of the same entry); a reminder goes out once however often the
job runs; bad input is refused with its reason and stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from agent_portal.appointments import service
from agent_portal.appointments.audit_events import Event
from agent_portal.appointments.errors import (
    AppointmentNotFound,
    DurationOutOfRange,
    NotAllowedNow,
    NotInConversation,
    PriceOutOfRange,
    StartInPast,
    UnknownTimeZone,
)
from agent_portal.appointments.models import Appointment
from agent_portal.audit.models import AuditEntry
from agent_portal.database import utcnow
from agent_portal.mail.models import OutboundEmail
from tests.agent_portal.experts.appointments.support import (
    CUSTOMER_EMAIL,
    EXPERT_EMAIL,
    RULES,
    prechat,
)

ZURICH = ZoneInfo("Europe/Zurich")
WINTER = datetime(2030, 1, 15, 14, 0)  # 13:00 UTC
SUMMER = datetime(2030, 7, 15, 14, 0)  # 12:00 UTC


def propose(world, chat, *, local_start=WINTER, zone="Europe/Zurich", **overrides):
    arguments = {
        "duration_minutes": 30,
        "terms": "fixed",
        "price": 4_500,
        "staff_id": chat.expert.id,
        "now": utcnow(),
        **overrides,
    }
    with world.session() as db_session:
        appointment = service.propose(
            db_session=db_session,
            conversation_id=chat.conversation_id,
            local_start=local_start,
            time_zone=zone,
            rules=RULES,
            **arguments,
        )
        db_session.commit()
        return appointment.id


def act(world, change, appointment_id, **arguments):
    with world.session() as db_session:
        appointment = change(
            db_session=db_session, appointment_id=appointment_id, now=utcnow(), **arguments
        )
        db_session.commit()
        return appointment.status


def mails(world, *, calendar=None) -> list[OutboundEmail]:
    rows = world.rows(OutboundEmail, order=OutboundEmail.id)
    if calendar is None:
        return rows
    return [mail for mail in rows if (mail.calendar is not None) == calendar]


def event_of(mail: OutboundEmail):
    parsed = icalendar.Calendar.from_ical(mail.calendar)
    [event] = parsed.walk("VEVENT")
    return parsed, event


def test_the_expert_proposes_in_their_zone_and_the_customer_reads_the_terms_in_german(world):
    chat = prechat(world)
    appointment_id = propose(world, chat)
    [stored] = world.rows(Appointment)
    assert stored.id == appointment_id
    assert stored.starts_at == datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
    assert stored.status == "proposed"
    assert (stored.terms, stored.price, stored.currency) == ("fixed", 4_500, "CHF")
    [mail] = mails(world)
    assert mail.to_address == CUSTOMER_EMAIL
    assert mail.subject == "Termin vorgeschlagen von Mira Keller"
    assert "15.01.2030, 14:00 (Europe/Zurich), 30 Minuten" in mail.body
    assert "Festpreis 45,00\xa0CHF" in mail.body
    assert EXPERT_EMAIL not in mail.body
    [entry] = world.rows(AuditEntry, AuditEntry.event == Event.APPOINTMENT_PROPOSED.value)
    assert entry.data["appointment_id"] == appointment_id
    summer = propose(world, chat, local_start=SUMMER, terms="per_minute", price=None)
    with world.session() as db_session:
        moved = db_session.get(Appointment, summer)
        assert moved.starts_at == datetime(2030, 7, 15, 12, 0, tzinfo=UTC)  # summer time
        assert (moved.terms, moved.price, moved.price_per_minute) == ("per_minute", None, 150)


def test_accepting_mails_both_sides_the_same_calendar_entry_each_without_the_other_s_address(
    world,
):
    chat = prechat(world)
    appointment_id = propose(world, chat)
    assert act(
        world, service.accept, appointment_id, customer_id=chat.customer.id, rules=RULES
    ) == ("accepted")
    invitations = mails(world, calendar=True)
    assert sorted(mail.to_address for mail in invitations) == [CUSTOMER_EMAIL, EXPERT_EMAIL]
    uids = set()
    for mail in invitations:
        parsed, event = event_of(mail)
        assert parsed["METHOD"] == "REQUEST"
        assert event.decoded("DTSTART") == datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2030, 1, 15, 13, 30, tzinfo=UTC)
        assert str(event["ORGANIZER"]) == "mailto:support@isp.example"
        assert str(event["ATTENDEE"]) == f"mailto:{mail.to_address}"
        other = EXPERT_EMAIL if mail.to_address == CUSTOMER_EMAIL else CUSTOMER_EMAIL
        assert other not in mail.calendar and other not in mail.body
        uids.add(str(event["UID"]))
    assert len(uids) == 1
    to_customer = next(m for m in invitations if m.to_address == CUSTOMER_EMAIL)
    assert to_customer.subject.startswith("Termin mit Mira Keller: 15.01.2030, 14:00")
    to_expert = next(m for m in invitations if m.to_address == EXPERT_EMAIL)
    assert to_expert.subject.startswith("Appointment with Erika Mustermann: Jan 15, 2030")
    with pytest.raises(NotAllowedNow):  # answered once only
        act(world, service.decline, appointment_id, customer_id=chat.customer.id)


def test_declining_mails_nothing_and_cannot_be_accepted_afterwards(world):
    chat = prechat(world)
    appointment_id = propose(world, chat)
    before = len(mails(world))
    assert act(world, service.decline, appointment_id, customer_id=chat.customer.id) == "declined"
    assert len(mails(world)) == before
    with pytest.raises(NotAllowedNow):
        act(world, service.accept, appointment_id, customer_id=chat.customer.id, rules=RULES)
    assert world.rows(AuditEntry, AuditEntry.event == Event.APPOINTMENT_DECLINED.value)


@pytest.mark.parametrize("by", ["customer", "expert"])
def test_either_side_cancels_an_accepted_appointment_and_both_calendars_drop_the_same_entry(
    world, by
):
    chat = prechat(world)
    appointment_id = propose(world, chat)
    act(world, service.accept, appointment_id, customer_id=chat.customer.id, rules=RULES)
    who = {"customer_id": chat.customer.id} if by == "customer" else {"staff_id": chat.expert.id}
    assert act(world, service.cancel, appointment_id, rules=RULES, **who) == "cancelled"
    invitations, cancellations = mails(world, calendar=True)[:2], mails(world, calendar=True)[2:]
    assert len(cancellations) == 2
    uid = str(event_of(invitations[0])[1]["UID"])
    for mail in cancellations:
        parsed, event = event_of(mail)
        assert parsed["METHOD"] == "CANCEL"
        assert str(event["UID"]) == uid
        assert event["STATUS"] == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1
    to_customer = next(m for m in cancellations if m.to_address == CUSTOMER_EMAIL)
    who_name = "Erika Mustermann" if by == "customer" else "Mira Keller"
    assert f"{who_name} hat den Termin" in to_customer.body
    [entry] = world.rows(AuditEntry, AuditEntry.event == Event.APPOINTMENT_CANCELLED.value)
    assert entry.data["by"] == by


def test_another_customer_can_neither_see_nor_answer_the_proposal(world):
    chat = prechat(world)
    appointment_id = propose(world, chat)
    stranger = world.customer("K-100999", name="Max Muster", email="max@example.de", language="de")
    with pytest.raises(AppointmentNotFound):
        act(world, service.accept, appointment_id, customer_id=stranger.id, rules=RULES)
    with world.session() as db_session:
        assert service.upcoming(db_session=db_session, customer_id=stranger.id, now=utcnow()) == []
        [mine] = service.upcoming(db_session=db_session, customer_id=chat.customer.id, now=utcnow())
        assert mine.id == appointment_id and mine.status == "proposed"


def test_a_reminder_goes_to_both_once_even_when_the_job_runs_twice(world):
    chat = prechat(world)
    soon = (utcnow() + timedelta(minutes=10)).astimezone(ZURICH).replace(tzinfo=None)
    later = (utcnow() + timedelta(hours=3)).astimezone(ZURICH).replace(tzinfo=None)
    due = propose(
        world, chat, local_start=soon.replace(second=0, microsecond=0) + timedelta(minutes=1)
    )
    not_yet = propose(world, chat, local_start=later.replace(second=0, microsecond=0))
    unanswered = propose(
        world, chat, local_start=soon.replace(second=0, microsecond=0) + timedelta(minutes=2)
    )
    for appointment_id in (due, not_yet):
        act(world, service.accept, appointment_id, customer_id=chat.customer.id, rules=RULES)
    before = len(mails(world))
    for _round in range(2):
        with world.session() as db_session:
            reminded = service.send_reminders(db_session=db_session, now=utcnow(), rules=RULES)
            db_session.commit()
            assert [a.id for a in reminded] == ([due] if _round == 0 else [])
    reminders = mails(world)[before:]
    assert sorted(m.to_address for m in reminders) == [CUSTOMER_EMAIL, EXPERT_EMAIL]
    assert all("Erinnerung" in m.subject or "Reminder" in m.subject for m in reminders)
    with world.session() as db_session:
        assert db_session.get(Appointment, not_yet).reminded_at is None
        assert db_session.get(Appointment, unanswered).reminded_at is None


@pytest.mark.parametrize(
    ("overrides", "error", "says"),
    [
        ({"local_start": datetime(2020, 1, 15, 14, 0)}, StartInPast, "in the future"),
        ({"duration_minutes": 5}, DurationOutOfRange, "between 15 and 240 minutes"),
        ({"duration_minutes": 600}, DurationOutOfRange, "between 15 and 240 minutes"),
        ({"price": 50}, PriceOutOfRange, "between CHF\xa010.00 and CHF\xa0500.00"),
        ({"price": 60_000}, PriceOutOfRange, "between CHF\xa010.00 and CHF\xa0500.00"),
        ({"price": None}, PriceOutOfRange, "between"),
        ({"zone": "Mars/Olympus"}, UnknownTimeZone, "Mars/Olympus"),
    ],
)
def test_bad_proposals_are_refused_with_their_reason_and_store_nothing(
    world, overrides, error, says
):
    chat = prechat(world)
    with pytest.raises(error) as refused:
        propose(world, chat, **overrides)
    assert says in refused.value.detail
    assert world.rows(Appointment) == []
    assert mails(world) == []
    assert world.rows(AuditEntry, AuditEntry.event == Event.APPOINTMENT_PROPOSED.value) == []


def test_only_the_conversation_s_own_expert_proposes(world):
    chat = prechat(world)
    other = world.staff("tom", role="expert", name="Tom Berger")
    with pytest.raises(NotInConversation):
        propose(world, chat, staff_id=other.id)
    assert world.rows(Appointment) == []


def test_refusals_are_worded_in_german_too():
    from agent_portal.appointments.texts import gettext_for

    refused = DurationOutOfRange(min=15, max=240)
    assert refused.translated(gettext_for("de")) == (
        "Die Dauer muss zwischen 15 und 240 Minuten liegen."
    )
