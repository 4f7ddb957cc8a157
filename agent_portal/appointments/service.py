"""Appointments: an expert proposes one in a conversation with a customer (a pre-chat or
an offline message), the customer accepts or declines it, either side cancels an accepted
one, and both are reminded once before it starts.

    propose         a start in the expert's zone, a duration and terms; refused with a
                    clear reason (in the past, a duration or fixed price out of range, an
                    unknown zone, not the expert's conversation), nothing stored then
    accept          the customer's yes: both get the calendar entry by e-mail (.ics,
                    METHOD:REQUEST)
    decline         the customer's no: nothing is mailed (no calendar had the entry)
    cancel          either side, an accepted appointment (both get METHOD:CANCEL with a
                    notice) or a proposal not yet answered (nothing mailed)
    send_reminders  the accepted appointments starting within the reminder time, each
                    marked reminded once whichever worker runs it, mailed to both
    upcoming        the customer's open proposals and coming appointments; for_expert

Functions on a database session that flush and never commit. Each change is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from agent_portal.appointments import calendar, texts
from agent_portal.appointments.audit_events import Event
from agent_portal.appointments.errors import (
    AppointmentNotFound,
    DurationOutOfRange,
    NoPricePerMinute,
    NotAllowedNow,
    NotInConversation,
    PriceOutOfRange,
    StartInPast,
    UnknownTimeZone,
)
from agent_portal.appointments.models import Appointment
from agent_portal.audit import service as audit
from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import Conversation
from agent_portal.experts import service as experts_service
from agent_portal.mail import service as outbox
from isp_common import formatting
from isp_common.appointments_wire import AppointmentStatus, AppointmentTerms, AppointmentView


@dataclass(frozen=True)
class Rules:
    """What the installation allows (settings PORTAL_APPOINTMENT_*, PORTAL_CURRENCY and
    the experts' price limits per session, which bound a fixed price)."""

    min_minutes: int = 15
    max_minutes: int = 240
    reminder_minutes: int = 15
    price_min: int = 1_000
    price_max: int = 50_000
    currency: str = "CHF"
    portal_address: str = "support@isp.example"
    staff_language: str = "de"

    @classmethod
    def from_settings(cls, settings) -> Rules:
        return cls(
            min_minutes=settings.appointment_min_minutes,
            max_minutes=settings.appointment_max_minutes,
            reminder_minutes=settings.appointment_reminder_minutes,
            price_min=settings.expert_price_per_session_min,
            price_max=settings.expert_price_per_session_max,
            currency=settings.currency,
            portal_address=settings.smtp_from,
            staff_language=settings.default_language,
        )


def expert_name(db_session: Session, staff: StaffMember) -> str:
    profile = experts_service.profile_of_staff(db_session=db_session, staff_id=staff.id)
    return (profile.display_name if profile else "") or staff.name


def customer_name(appointment: Appointment) -> str:
    customer = appointment.customer
    return customer.name or customer.account_number


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZone(zone=name) from None


# --- proposing ------------------------------------------------------------------------


def propose(
    *,
    db_session: Session,
    conversation_id: int,
    staff_id: int,
    local_start: datetime,  # a wall-clock time in `time_zone` (no tzinfo)
    time_zone: str,
    duration_minutes: int,
    terms: AppointmentTerms | str,
    price: int | None,
    now: datetime,
    rules: Rules,
) -> Appointment:
    conversation = db_session.get(Conversation, conversation_id)
    if conversation is None or conversation.kind == "hotline" or conversation.agent_id != staff_id:
        raise NotInConversation()
    starts_at = local_start.replace(tzinfo=zone_of(time_zone)).astimezone(UTC)
    if starts_at <= now:
        raise StartInPast()
    if not rules.min_minutes <= duration_minutes <= rules.max_minutes:
        raise DurationOutOfRange(min=rules.min_minutes, max=rules.max_minutes)
    terms = AppointmentTerms(terms)
    price_per_minute = None
    if terms is AppointmentTerms.fixed:
        if (
            isinstance(price, bool)
            or not isinstance(price, int)
            or not rules.price_min <= price <= rules.price_max
        ):
            language = rules.staff_language
            raise PriceOutOfRange(
                min=formatting.money(rules.price_min, rules.currency, locale=language),
                max=formatting.money(rules.price_max, rules.currency, locale=language),
            )
    else:
        price = None
    if terms is AppointmentTerms.per_minute:
        profile = experts_service.profile_of_staff(db_session=db_session, staff_id=staff_id)
        price_per_minute = profile.price_per_minute if profile else None
        if not price_per_minute:
            raise NoPricePerMinute()
    appointment = Appointment(
        uid=f"{secrets.token_hex(16)}@appointments",
        conversation_id=conversation.id,
        expert_staff_id=staff_id,
        customer_id=conversation.customer_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
        terms=terms.value,
        price=price,
        price_per_minute=price_per_minute,
        currency=rules.currency,
        status=AppointmentStatus.proposed.value,
        sequence=0,
        created_at=now,
    )
    db_session.add(appointment)
    db_session.flush()
    expert = db_session.get(StaffMember, staff_id)
    _mail_proposal(db_session, appointment, expert_name(db_session, expert), now)
    audit.record(
        db_session=db_session,
        event=Event.APPOINTMENT_PROPOSED,
        actor=Actor.staff(expert),
        now=now,
        customer=conversation.customer,
        appointment_id=appointment.id,
        conversation_id=conversation.id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        terms=terms.value,
        price=price,
    )
    return appointment


def _mail_proposal(db_session, appointment, name, now) -> None:
    customer = appointment.customer
    if not customer.email:
        return
    _ = texts.gettext_for(customer.language)
    outbox.enqueue(
        db_session=db_session,
        to_address=customer.email,
        subject=_(texts.PROPOSED_SUBJECT) % {"expert": name},
        body=_(texts.PROPOSED_BODY)
        % {
            "expert": name,
            "when": texts.when(appointment, customer.language),
            "terms": texts.terms(appointment, customer.language),
        },
        now=now,
        conversation_id=appointment.conversation_id,
        from_name=name,
    )


# --- the customer's answer, cancelling ---------------------------------------------------


def _customers(db_session: Session, appointment_id: int, customer_id: int) -> Appointment:
    appointment = db_session.get(Appointment, appointment_id)
    if appointment is None or appointment.customer_id != customer_id:
        raise AppointmentNotFound()  # another's appointment is not said to exist
    return appointment


def _still(appointment: Appointment, *statuses: AppointmentStatus) -> None:
    if appointment.status not in {status.value for status in statuses}:
        raise NotAllowedNow(status=appointment.status)


def accept(
    *, db_session: Session, appointment_id: int, customer_id: int, now: datetime, rules: Rules
) -> Appointment:
    appointment = _customers(db_session, appointment_id, customer_id)
    _still(appointment, AppointmentStatus.proposed)
    if appointment.starts_at <= now:
        raise StartInPast()
    appointment.status = AppointmentStatus.accepted.value
    appointment.decided_at = now
    db_session.flush()
    _mail_both(db_session, appointment, method="REQUEST", now=now, rules=rules)
    _audit(
        db_session,
        appointment,
        Event.APPOINTMENT_ACCEPTED,
        Actor.customer(appointment.customer),
        now,
    )
    return appointment


def decline(
    *, db_session: Session, appointment_id: int, customer_id: int, now: datetime
) -> Appointment:
    appointment = _customers(db_session, appointment_id, customer_id)
    _still(appointment, AppointmentStatus.proposed)
    appointment.status = AppointmentStatus.declined.value
    appointment.decided_at = now
    db_session.flush()
    _audit(
        db_session,
        appointment,
        Event.APPOINTMENT_DECLINED,
        Actor.customer(appointment.customer),
        now,
    )
    return appointment


def cancel(
    *,
    db_session: Session,
    appointment_id: int,
    now: datetime,
    rules: Rules,
    customer_id: int | None = None,
    staff_id: int | None = None,
) -> Appointment:
    """By the customer (`customer_id`) or the expert (`staff_id`)."""
    appointment = db_session.get(Appointment, appointment_id)
    if appointment is None or (
        appointment.customer_id != customer_id and appointment.expert_staff_id != staff_id
    ):
        raise AppointmentNotFound()
    _still(appointment, AppointmentStatus.proposed, AppointmentStatus.accepted)
    was_accepted = appointment.status == AppointmentStatus.accepted.value
    by = "customer" if appointment.customer_id == customer_id else "expert"
    appointment.status = AppointmentStatus.cancelled.value
    appointment.cancelled_by = by
    appointment.sequence += 1
    appointment.decided_at = appointment.decided_at or now
    db_session.flush()
    if was_accepted:
        _mail_both(db_session, appointment, method="CANCEL", now=now, rules=rules)
    actor = (
        Actor.customer(appointment.customer)
        if by == "customer"
        else Actor.staff(appointment.expert)
    )
    _audit(db_session, appointment, Event.APPOINTMENT_CANCELLED, actor, now, by=by)
    return appointment


def _audit(db_session, appointment, event, actor, now, **data) -> None:
    audit.record(
        db_session=db_session,
        event=event,
        actor=actor,
        now=now,
        customer=appointment.customer,
        appointment_id=appointment.id,
        conversation_id=appointment.conversation_id,
        **data,
    )


def _recipients(db_session, appointment, rules):
    """(address, language, the other side's name, from name) for the customer and the
    expert; a side without an address is left out."""
    expert = appointment.expert
    names = (expert_name(db_session, expert), customer_name(appointment))
    found = []
    if appointment.customer.email:
        found.append((appointment.customer.email, appointment.customer.language, *names))
    if expert.email:
        found.append((expert.email, rules.staff_language, names[1], names[0]))
    return found


def _mail_both(db_session, appointment, *, method, now, rules) -> None:
    who_cancelled = None
    for address, language, other, writer in _recipients(db_session, appointment, rules):
        _ = texts.gettext_for(language)
        when = texts.when(appointment, language)
        moment = texts.moment(appointment, language)
        if method == "REQUEST":
            subject = _(texts.ACCEPTED_SUBJECT) % {"other": other, "moment": moment}
            body = _(texts.ACCEPTED_BODY) % {
                "other": other,
                "when": when,
                "terms": texts.terms(appointment, language),
            }
        else:
            if appointment.cancelled_by == "customer":
                who_cancelled = customer_name(appointment)
            else:
                who_cancelled = expert_name(db_session, appointment.expert)
            subject = _(texts.CANCELLED_SUBJECT) % {"moment": moment}
            body = _(texts.CANCELLED_BODY) % {"who": who_cancelled, "when": when}
        outbox.enqueue(
            db_session=db_session,
            to_address=address,
            subject=subject,
            body=body,
            now=now,
            conversation_id=appointment.conversation_id,
            from_name=writer,
            calendar=calendar.ics(
                appointment,
                method=method,
                summary=_(texts.SUMMARY) % {"other": other},
                description=body,
                organizer=rules.portal_address,
                attendee=address,
                now=now,
            ),
        )


# --- reminders ------------------------------------------------------------------------


def send_reminders(*, db_session: Session, now: datetime, rules: Rules) -> list[Appointment]:
    """Reminds both sides of each accepted appointment starting within the reminder time,
    once: an appointment is marked before its mails are queued, and only a round that
    finds it unmarked marks it (a second round, or one on another worker, finds none)."""
    due = db_session.scalars(
        select(Appointment)
        .where(
            Appointment.status == AppointmentStatus.accepted.value,
            Appointment.reminded_at.is_(None),
            Appointment.starts_at > now,
            Appointment.starts_at <= now + timedelta(minutes=rules.reminder_minutes),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    reminded = []
    for appointment in due:
        marked = db_session.execute(
            update(Appointment)
            .where(Appointment.id == appointment.id, Appointment.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if marked.rowcount != 1:
            continue
        db_session.refresh(appointment)
        for address, language, other, writer in _recipients(db_session, appointment, rules):
            _ = texts.gettext_for(language)
            outbox.enqueue(
                db_session=db_session,
                to_address=address,
                subject=_(texts.REMINDER_SUBJECT)
                % {
                    "other": other,
                    "time": formatting.time_of_day(
                        appointment.starts_at, locale=language, zone=appointment.time_zone
                    ),
                },
                body=_(texts.REMINDER_BODY)
                % {
                    "other": other,
                    "when": texts.when(appointment, language),
                    "terms": texts.terms(appointment, language),
                },
                now=now,
                conversation_id=appointment.conversation_id,
                from_name=writer,
            )
        reminded.append(appointment)
    db_session.flush()
    return reminded


# --- lists ----------------------------------------------------------------------------


def upcoming(*, db_session: Session, customer_id: int, now: datetime) -> list[Appointment]:
    """The customer's proposals awaiting an answer and accepted appointments still to
    come (or under way), soonest first."""
    return _coming(db_session, Appointment.customer_id == customer_id, now)


def for_expert(*, db_session: Session, staff_id: int, now: datetime) -> list[Appointment]:
    return _coming(db_session, Appointment.expert_staff_id == staff_id, now)


def _coming(db_session, whose, now) -> list[Appointment]:
    return list(
        db_session.scalars(
            select(Appointment)
            .where(
                whose,
                or_(
                    Appointment.status == AppointmentStatus.proposed.value,
                    Appointment.status == AppointmentStatus.accepted.value,
                ),
                Appointment.starts_at > now - timedelta(hours=24),
            )
            .order_by(Appointment.starts_at, Appointment.id)
            .limit(200)
        )
    )


def view(db_session: Session, appointment: Appointment) -> AppointmentView:
    return AppointmentView(
        id=appointment.id,
        conversation_id=appointment.conversation_id,
        expert_name=expert_name(db_session, appointment.expert),
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        time_zone=appointment.time_zone,
        terms=AppointmentTerms(appointment.terms),
        price=appointment.price,
        price_per_minute=appointment.price_per_minute,
        currency=appointment.currency,
        status=AppointmentStatus(appointment.status),
        cancelled_by=appointment.cancelled_by,
    )
