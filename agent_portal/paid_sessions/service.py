"""Paid sessions: proposal, confirmation with a maximum, the meter, pauses, raises, the end
with its charge, the waiver and the tip (docs/paid-sessions.md).

    propose        either side, in an expert's open chat (a pre-chat, or a hotline chat
                   handed to the expert): per minute at the profile's price, the profile's
                   fixed price, or an accepted appointment's terms
    cancel         the customer declines, or the expert withdraws, a proposal
    confirm        the customer starts it with a maximum: a ledger hold, counted against
                   the customer's monthly spending limit (fixed price: the hold is the price)
    pause          either side; `request_resume` the expert; `resume` the customer only
    raise_maximum  the customer: a further hold; a session stopped at its maximum resumes
    end            either side; the expert may waive all or part of the amount. The charge
                   is posted across the holds (expert, platform fee, tax), the rest released
    tip            the customer, after the end: a hold of its own, posted to the expert whole
    tick           the job: bills running meters, warns at 80 %, stops at the maximum,
                   pauses a session whose side is gone longer than the grace period,
                   or that no tick watched for a while (the server was down) as of the
                   last tick that saw both sides

Billed time is computed from stored timestamps (`banked_seconds` plus the running stretch
since `run_started_at`), capped at the time the maximum pays for: a tick only writes down
what the timestamps say, so two ticks at once, or a late one, bill the same.

Every command carries the sender's `command_id`: `once` stores its first answer, a repeat
answers it again, other content under the same id is refused (`CommandIdReused`). Plain
functions on a database session that flush and never commit; a refusal is raised before
anything is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.appointments.models import Appointment
from agent_portal.audit import service as audit
from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import Conversation
from agent_portal.customers.models import Customer, Device
from agent_portal.expert_desk import availability
from agent_portal.experts.models import ExpertProfile
from agent_portal.ledger import accounts
from agent_portal.ledger import service as ledger
from agent_portal.ledger.errors import HoldAlreadyResolved, SpendingLimitExceeded
from agent_portal.ledger.models import Transfer
from agent_portal.ledger.money import fee_split
from agent_portal.paid_sessions import billing
from agent_portal.paid_sessions.audit_events import Event
from agent_portal.paid_sessions.errors import (
    AlreadyTipped,
    CommandIdReused,
    ConversationNotPaid,
    MaximumReached,
    MaximumTooLow,
    NotYourStep,
    SessionAlreadyOpen,
    SessionNotFound,
    SpendingLimitReached,
    WaiverTooHigh,
    WrongState,
)
from agent_portal.paid_sessions.models import PaidSession, PaidSessionCommand, PaidSessionHold
from agent_portal.realtime.models import LiveConnection
from agent_portal.realtime.presence import REFRESH_INTERVAL, alive_since
from isp_common import paid_sessions_wire as wire
from isp_common.live_wire import ConversationKind

OPEN = ("proposed", "running", "paused")
STARTED = ("running", "paused")
EXPERT, CUSTOMER, SYSTEM = "expert", "customer", "system"
KEY_PREFIX = "paid-session"


@dataclass(frozen=True)
class Config:
    """The settings a session runs by (`Config.of(settings)`)."""

    billing_rule: str = "second"
    fee_percent: Decimal = Decimal(20)
    tax_percent: Decimal = Decimal(0)
    hold_hours: float = 24
    monthly_limit: int | None = None
    time_zone: str = "Europe/Berlin"
    grace_seconds: float = 30
    # The meter vouches only for what it watched: a running session that no tick has seen
    # for longer than this (the server was down, or the meter's worker died and its lease
    # had to run out first) is paused as of the last tick that saw both sides. None: the
    # meter is trusted to have run throughout (the service's own tests tick at will).
    unwatched_seconds: float | None = None

    @classmethod
    def of(cls, settings) -> Config:
        return cls(
            billing_rule=settings.session_billing,
            fee_percent=settings.platform_fee_percent,
            tax_percent=settings.ledger_tax_percent,
            hold_hours=settings.ledger_hold_hours,
            monthly_limit=settings.monthly_spending_limit,
            time_zone=settings.time_zone,
            grace_seconds=settings.session_grace_seconds,
            unwatched_seconds=unwatched_after(settings.session_tick_seconds),
        )


def unwatched_after(tick_seconds: float) -> float:
    """How long the meter may leave a running session unseen before its rounds count as
    broken off: half the meter's lease. A worker holding the lease renews it before half of
    it is gone, so after its death the next round (another worker's, or the restarted
    server's, once the lease ran out) always comes later than that; a live meter's rounds
    come every `tick_seconds`, and may be late by more than a round before this counts."""
    from agent_portal.jobs.leases import lease_time

    return lease_time(tick_seconds).total_seconds() / 2


@dataclass(frozen=True)
class Sender:
    """Who sends a command: the customer (`id` their customer id) or the expert (`id`
    their staff id), with the name the audit log keeps."""

    party: str
    id: int
    name: str = ""

    @property
    def key(self) -> str:
        return f"{'customer' if self.party == CUSTOMER else 'staff'}:{self.id}"

    def actor(self) -> Actor:
        if self.party == SYSTEM:
            return Actor.system()
        if self.party == EXPERT:
            return Actor("staff", self.name, self.id)
        return Actor("customer", self.name)


THE_METER = Sender(SYSTEM, 0)


@dataclass(frozen=True)
class Done:
    """A command's answer: the session after it and the ack (the first one, for a
    repeat). `repeat`: nothing was done this time."""

    session: PaidSession
    ack: wire.SessionAck
    repeat: bool = False
    warned: bool = False


# --- reading ---------------------------------------------------------------------------


def get_session(*, db_session: Session, session_id: int) -> PaidSession | None:
    return db_session.get(PaidSession, session_id)


def open_session(*, db_session: Session, conversation_id: int) -> PaidSession | None:
    """The conversation's proposed, running or paused session, if any."""
    return db_session.scalar(
        select(PaidSession)
        .where(PaidSession.conversation_id == conversation_id, PaidSession.status.in_(OPEN))
        .order_by(PaidSession.id.desc())
    )


def latest_session(*, db_session: Session, conversation_id: int) -> PaidSession | None:
    return db_session.scalar(
        select(PaidSession)
        .where(PaidSession.conversation_id == conversation_id)
        .order_by(PaidSession.id.desc())
    )


def holds_of(
    *, db_session: Session, session_id: int, purpose: str = "charge"
) -> list[PaidSessionHold]:
    return list(
        db_session.scalars(
            select(PaidSessionHold)
            .where(PaidSessionHold.session_id == session_id, PaidSessionHold.purpose == purpose)
            .order_by(PaidSessionHold.id)
        )
    )


def expert_name(db_session: Session, session: PaidSession) -> str:
    profile = db_session.get(ExpertProfile, session.expert_profile_id)
    staff = db_session.get(StaffMember, session.expert_staff_id)
    return (profile.display_name if profile else "") or (staff.name if staff else "")


def billed_seconds(session: PaidSession, until: datetime) -> int:
    """What the meter has billed by `until`: the banked stretches and, while running, the
    one since `run_started_at`; per minute never beyond what the maximum pays for."""
    total = session.banked_seconds
    if session.status == "running" and session.run_started_at is not None:
        total += max(0, int((until - session.run_started_at).total_seconds()))
    if session.terms == "per_minute":
        cap = billing.cap_seconds(session.billing_rule, session.price, session.maximum)
        total = min(total, cap)
    return total


def amount_of(session: PaidSession, seconds: int) -> int:
    if session.terms == "fixed":
        return session.price if session.status in STARTED + ("ended",) else 0
    return billing.amount_for(session.billing_rule, session.price, seconds)


def at_maximum(session: PaidSession, seconds: int) -> bool:
    if session.terms != "per_minute":
        return False
    return seconds >= billing.cap_seconds(session.billing_rule, session.price, session.maximum)


def warning_due(session: PaidSession, amount: int) -> bool:
    return session.maximum > 0 and amount * 100 >= session.maximum * wire.WARNING_PERCENT


def meter(session: PaidSession, now: datetime) -> wire.SessionMeter:
    """The session as both sides see it at `now`."""
    if session.status in ("ended", "cancelled"):
        seconds, amount = session.billed_seconds, session.amount
    else:
        seconds = billed_seconds(session, now)
        amount = amount_of(session, seconds)
    return wire.SessionMeter(
        session_id=session.id,
        conversation_id=session.conversation_id,
        status=wire.SessionStatus(session.status),
        terms=wire.SessionTerms(session.terms),
        price=session.price,
        currency=session.currency,
        billing_rule=wire.BillingRule(session.billing_rule),
        billed_seconds=seconds,
        amount=amount,
        maximum=session.maximum,
        remaining=max(0, session.maximum - amount),
        warning=session.status in STARTED and warning_due(session, amount),
        paused_reason=wire.PauseReason(session.paused_reason) if session.paused_reason else None,
        resume_requested=session.resume_requested,
        started_at=session.started_at,
        as_of=now,
    )


def period_start(now: datetime, time_zone: str) -> datetime:
    """The start of the calendar month of `now` in the portal's time zone, in UTC."""
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first.astimezone(ZoneInfo("UTC"))


def spending_limit(db_session: Session, customer_id: int, config: Config) -> int | None:
    customer = db_session.get(Customer, customer_id)
    own = customer.monthly_spending_limit if customer is not None else None
    return own if own is not None else config.monthly_limit


def spending_left(
    *, db_session: Session, customer_id: int, currency: str, now: datetime, config: Config
) -> int | None:
    """What is left of the customer's monthly limit in `currency`; None: no limit."""
    limit = spending_limit(db_session, customer_id, config)
    if limit is None:
        return None
    account = accounts.find(
        db_session=db_session, code=accounts.customer_spending(customer_id, currency)
    )
    used = (
        ledger.spent_in_period(
            db_session=db_session, account=account, period_start=period_start(now, config.time_zone)
        )
        if account is not None
        else 0
    )
    return max(0, limit - used)


def billing_text(session: PaidSession, gettext: Callable[[str], str], locale: str) -> str:
    from isp_common import formatting

    price = formatting.money(session.price, session.currency, locale=locale)
    if session.terms == "fixed":
        return gettext(billing.FIXED_TEXT) % {"price": price}
    return gettext(billing.BILLING_TEXTS[session.billing_rule]) % {"price": price}


def proposal(
    *,
    db_session: Session,
    session: PaidSession,
    config: Config,
    gettext: Callable[[str], str],
    locale: str,
) -> wire.SessionProposal:
    return wire.SessionProposal(
        session_id=session.id,
        conversation_id=session.conversation_id,
        expert_name=expert_name(db_session, session),
        proposed_by=wire.Party(session.proposed_by),
        terms=wire.SessionTerms(session.terms),
        price=session.price,
        currency=session.currency,
        billing_rule=wire.BillingRule(session.billing_rule),
        billing_text=billing_text(session, gettext, locale),
        appointment_id=session.appointment_id,
        minimum_maximum=session.price,
        spending_left=spending_left(
            db_session=db_session,
            customer_id=session.customer_id,
            currency=session.currency,
            now=session.created_at,
            config=config,
        ),
        proposed_at=session.created_at,
    )


def split_of(session: PaidSession, config: Config, db_session: Session) -> wire.FeeSplit:
    """Where the charge went: the sum of each capture's split, as the ledger posted it."""
    expert = fee = tax = 0
    for hold in holds_of(db_session=db_session, session_id=session.id):
        transfer = db_session.get(Transfer, hold.resolved_transfer_id or 0)
        if transfer is None or transfer.kind != "post":
            continue
        parts = fee_split(
            transfer.amount, fee_percent=config.fee_percent, tax_percent=config.tax_percent
        )
        expert, fee, tax = expert + parts[0], fee + parts[1], tax + parts[2]
    return wire.FeeSplit(
        expert=expert, platform_fee=fee, tax=tax, fee_percent=str(config.fee_percent)
    )


def summary(*, db_session: Session, session: PaidSession, config: Config) -> wire.SessionSummary:
    return wire.SessionSummary(
        session_id=session.id,
        conversation_id=session.conversation_id,
        expert_name=expert_name(db_session, session),
        terms=wire.SessionTerms(session.terms),
        currency=session.currency,
        billed_seconds=session.billed_seconds,
        minutes=billing.minutes(session.billed_seconds),
        amount=session.amount,
        waived=session.waived,
        charged=session.charged,
        tip=session.tip,
        total=session.charged + session.tip,
        split=split_of(session, config, db_session),
        ended_by=wire.Party(session.ended_by) if session.ended_by else None,
        started_at=session.started_at,
        ended_at=session.ended_at or session.created_at,
    )


# --- idempotency -----------------------------------------------------------------------


def _digest(kind: str, content: dict) -> str:
    text = json.dumps({"kind": kind, **content}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def once(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    kind: str,
    content: dict,
    now: datetime,
    step: Callable[[], PaidSession],
) -> Done:
    """Runs `step` once per (sender, command_id); a repeat answers the stored ack."""
    digest = _digest(kind, content)
    earlier = db_session.scalar(
        select(PaidSessionCommand).where(
            PaidSessionCommand.actor == sender.key, PaidSessionCommand.command_id == command_id
        )
    )
    if earlier is not None:
        if earlier.digest != digest:
            raise CommandIdReused(request_id=command_id)
        ack = wire.SessionAck.model_validate_json(earlier.result)
        return Done(db_session.get(PaidSession, earlier.session_id), ack, repeat=True)
    session = step()
    ack = wire.SessionAck(command_id=command_id, session_id=session.id, meter=meter(session, now))
    db_session.add(
        PaidSessionCommand(
            actor=sender.key,
            command_id=command_id,
            digest=digest,
            session_id=session.id,
            result=ack.model_dump_json(),
            created_at=now,
        )
    )
    db_session.flush()
    return Done(session, ack)


def lock_session(db_session: Session, session_id: int) -> PaidSession:
    """The session read afresh, its row locked (PostgreSQL) so steps on it go one at a time."""
    session = db_session.scalar(
        select(PaidSession).where(PaidSession.id == session_id).with_for_update()
    )
    if session is None:
        raise SessionNotFound()
    db_session.refresh(session)
    return session


def _locked(db_session: Session, session_id: int, sender: Sender) -> PaidSession:
    """The sender's session, locked (`lock_session`)."""
    session = lock_session(db_session, session_id)
    if sender.party == CUSTOMER and session.customer_id != sender.id:
        raise SessionNotFound()
    if sender.party == EXPERT and session.expert_staff_id != sender.id:
        raise SessionNotFound()
    return session


def record(db_session, event: Event, sender: Sender, session: PaidSession, now, **data) -> None:
    audit.record(
        db_session=db_session,
        event=event,
        actor=sender.actor(),
        now=now,
        customer=db_session.get(Customer, session.customer_id),
        session_id=session.id,
        conversation_id=session.conversation_id,
        **data,
    )


# --- commands --------------------------------------------------------------------------


def propose(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    conversation_id: int,
    terms: str = "per_minute",
    appointment_id: int | None = None,
    now: datetime,
    config: Config,
) -> Done:
    content = {"conversation_id": conversation_id, "terms": terms, "appointment": appointment_id}

    def step() -> PaidSession:
        # One proposal per conversation at a time on PostgreSQL: its row is the lock.
        db_session.execute(
            select(Conversation.id).where(Conversation.id == conversation_id).with_for_update()
        )
        conversation = db_session.get(Conversation, conversation_id)
        if conversation is None or (
            conversation.customer_id != sender.id
            if sender.party == CUSTOMER
            else conversation.agent_id != sender.id
        ):
            raise ConversationNotPaid(conversation_id=conversation_id)
        if (
            conversation.kind != ConversationKind.expert_prechat.value
            or conversation.status == "closed"
            or conversation.agent_id is None
        ):
            raise ConversationNotPaid(conversation_id=conversation_id)
        profile = db_session.scalar(
            select(ExpertProfile).where(ExpertProfile.staff_id == conversation.agent_id)
        )
        if profile is None or not profile.is_visible:
            raise ConversationNotPaid(conversation_id=conversation_id)
        if open_session(db_session=db_session, conversation_id=conversation_id) is not None:
            raise SessionAlreadyOpen(conversation_id=conversation_id)
        chosen_terms, price, currency = terms, None, profile.currency
        if appointment_id is not None:
            appointment = db_session.get(Appointment, appointment_id)
            if (
                appointment is None
                or appointment.conversation_id != conversation_id
                or appointment.status != "accepted"
                or appointment.terms == "free"
            ):
                raise ConversationNotPaid(conversation_id=conversation_id)
            chosen_terms, currency = appointment.terms, appointment.currency
            price = appointment.price if chosen_terms == "fixed" else appointment.price_per_minute
        elif chosen_terms == "fixed":
            price = profile.price_per_session
        elif chosen_terms == "per_minute":
            price = profile.price_per_minute
        if chosen_terms not in ("per_minute", "fixed") or not price or price <= 0:
            raise ConversationNotPaid(conversation_id=conversation_id)
        category = profile.categories[0].category_id if profile.categories else None
        session = PaidSession(
            conversation_id=conversation_id,
            customer_id=conversation.customer_id,
            expert_staff_id=conversation.agent_id,
            expert_profile_id=profile.id,
            category_id=category,
            appointment_id=appointment_id,
            terms=chosen_terms,
            price=price,
            currency=currency,
            billing_rule=config.billing_rule,
            status="proposed",
            proposed_by=sender.party,
            created_at=now,
            billed_seconds=0,
            amount=0,
            waived=0,
            tip=0,
            maximum=0,
            banked_seconds=0,
            resume_requested=False,
        )
        db_session.add(session)
        db_session.flush()
        record(
            db_session,
            Event.PROPOSED,
            sender,
            session,
            now,
            terms=chosen_terms,
            price=price,
            currency=currency,
        )
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="propose",
        content=content,
        now=now,
        step=step,
    )


def cancel(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    now: datetime,
    config: Config | None = None,
) -> Done:
    """The customer declines a proposal, or either side withdraws it."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if session.status != "proposed":
            raise WrongState(status=session.status)
        session.status = "cancelled"
        session.ended_at = now
        session.ended_by = sender.party
        db_session.flush()
        record(db_session, Event.CANCELLED, sender, session, now)
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="cancel",
        content={"session_id": session_id},
        now=now,
        step=step,
    )


def authorise_hold(
    db_session: Session,
    session: PaidSession,
    *,
    purpose: str,
    amount: int,
    now: datetime,
    config: Config,
    within_limit: bool = True,
) -> PaidSessionHold:
    """A ledger hold for the session, counted against the customer's monthly limit (checked
    unless `within_limit` is False: a renewal replaces money already held)."""
    number = len(holds_of(db_session=db_session, session_id=session.id, purpose=purpose)) + 1
    limit = spending_limit(db_session, session.customer_id, config) if within_limit else None
    try:
        transfer = ledger.authorise(
            db_session=db_session,
            idempotency_key=f"{KEY_PREFIX}:{session.id}:{purpose}:{number}",
            customer_id=session.customer_id,
            currency=session.currency,
            amount=amount,
            now=now,
            expires_in=timedelta(hours=config.hold_hours),
            spending_limit=limit,
            period_start=period_start(now, config.time_zone) if limit is not None else None,
        )
    except SpendingLimitExceeded as refused:
        raise SpendingLimitReached(
            limit=limit,
            left=max(0, limit - refused.values.get("used", 0))
            if isinstance(refused.values.get("used"), int)
            else 0,
            currency=session.currency,
        ) from None
    hold = PaidSessionHold(
        session_id=session.id,
        hold_transfer_id=transfer.id,
        purpose=purpose,
        amount=amount,
        created_at=now,
    )
    db_session.add(hold)
    db_session.flush()
    return hold


def confirm(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    maximum: int,
    now: datetime,
    config: Config,
) -> Done:
    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if sender.party != CUSTOMER:
            raise NotYourStep()
        if session.status != "proposed":
            raise WrongState(status=session.status)
        if maximum < session.price:
            raise MaximumTooLow(minimum=session.price, currency=session.currency)
        held = session.price if session.terms == "fixed" else maximum
        authorise_hold(db_session, session, purpose="charge", amount=held, now=now, config=config)
        session.maximum = held
        session.status = "running"
        session.started_at = session.run_started_at = session.both_seen_at = now
        session.gone_since = None
        availability.set_busy(db_session=db_session, staff_id=session.expert_staff_id, now=now)
        db_session.flush()
        record(db_session, Event.STARTED, sender, session, now, maximum=held)
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="confirm",
        content={"session_id": session_id, "maximum": maximum},
        now=now,
        step=step,
    )


def _stop_running(session: PaidSession, until: datetime, reason: str) -> None:
    """Banks the running stretch up to `until` and pauses."""
    session.banked_seconds = billed_seconds(session, until)
    session.billed_seconds = session.banked_seconds
    session.amount = amount_of(session, session.billed_seconds)
    session.run_started_at = None
    session.status = "paused"
    session.paused_reason = reason
    session.resume_requested = False
    session.gone_since = None


def last_watched(session: PaidSession) -> datetime | None:
    """The last moment the meter saw both sides of a running session (a tick, or the
    start of the running stretch)."""
    seen = [t for t in (session.both_seen_at, session.run_started_at) if t is not None]
    return max(seen) if seen else None


def unwatched(session: PaidSession, now: datetime, config: Config) -> bool:
    """True when no tick has looked at the running session for longer than the meter's
    rounds allow (`Config.unwatched_seconds`): the server was down. Both sides' sockets
    ended with it, so nothing since the last tick that saw them both is billed."""
    if config.unwatched_seconds is None or session.gone_since is not None:
        return False
    watched = last_watched(session)
    return watched is not None and (now - watched).total_seconds() > config.unwatched_seconds


def _settle(db_session: Session, session: PaidSession, now: datetime, config: Config) -> None:
    """Brings a running session's figures up to `now`: a side gone beyond the grace
    period pauses it as of the drop, and so does a meter that was not running (the server
    was down: as of the last tick that saw both sides); the maximum stops it."""
    if session.status != "running":
        return
    if unwatched(session, now, config):
        session.gone_since = last_watched(session)
        dropped = max(session.gone_since, session.run_started_at or now)
        _stop_running(session, dropped, "disconnected")
        record(
            db_session, Event.PAUSED, THE_METER, session, now, reason="disconnected", outage=True
        )
        return
    if session.gone_since is not None and (now - session.gone_since).total_seconds() > (
        config.grace_seconds
    ):
        dropped = max(session.gone_since, session.run_started_at or now)
        _stop_running(session, dropped, "disconnected")
        record(db_session, Event.PAUSED, THE_METER, session, now, reason="disconnected")
        return
    seconds = billed_seconds(session, now)
    session.billed_seconds = seconds
    session.amount = amount_of(session, seconds)
    if at_maximum(session, seconds):
        _stop_running(session, now, "maximum")
        record(db_session, Event.PAUSED, THE_METER, session, now, reason="maximum")


def pause(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    now: datetime,
    config: Config,
) -> Done:
    """Either side pauses a running session; billing stops at once."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        _settle(db_session, session, now, config)
        if session.status != "running":
            raise WrongState(status=session.status)
        _stop_running(session, now, sender.party)
        db_session.flush()
        record(db_session, Event.PAUSED, sender, session, now, reason=sender.party)
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="pause",
        content={"session_id": session_id},
        now=now,
        step=step,
    )


def request_resume(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    now: datetime,
    config: Config,
) -> Done:
    """The expert asks to go on; the customer's `resume` confirms it."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if sender.party != EXPERT:
            raise NotYourStep()
        _settle(db_session, session, now, config)
        if session.status != "paused":
            raise WrongState(status=session.status)
        if at_maximum(session, session.banked_seconds):
            raise MaximumReached()
        session.resume_requested = True
        db_session.flush()
        record(db_session, Event.RESUME_REQUESTED, sender, session, now)
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="request_resume",
        content={"session_id": session_id},
        now=now,
        step=step,
    )


def _run(session: PaidSession, now: datetime) -> None:
    session.status = "running"
    session.run_started_at = session.both_seen_at = now
    session.paused_reason = None
    session.resume_requested = False
    session.gone_since = None


def resume(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    now: datetime,
    config: Config,
) -> Done:
    """The customer resumes a paused session (with or without the expert's request)."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if sender.party != CUSTOMER:
            raise NotYourStep()
        _settle(db_session, session, now, config)
        if session.status != "paused":
            raise WrongState(status=session.status)
        if at_maximum(session, session.banked_seconds):
            raise MaximumReached()
        _run(session, now)
        db_session.flush()
        record(db_session, Event.RESUMED, sender, session, now)
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="resume",
        content={"session_id": session_id},
        now=now,
        step=step,
    )


def raise_maximum(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    amount: int,
    now: datetime,
    config: Config,
) -> Done:
    """A further hold of `amount`; a session stopped at its maximum runs on."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if sender.party != CUSTOMER:
            raise NotYourStep()
        _settle(db_session, session, now, config)
        if session.status not in STARTED or session.terms != "per_minute":
            raise WrongState(status=session.status)
        if amount < 1:
            raise MaximumTooLow(minimum=1, currency=session.currency)
        authorise_hold(db_session, session, purpose="charge", amount=amount, now=now, config=config)
        session.maximum += amount
        if session.paused_reason == "maximum":
            _run(session, now)
        db_session.flush()
        record(
            db_session, Event.RAISED, sender, session, now, amount=amount, maximum=session.maximum
        )
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="raise",
        content={"session_id": session_id, "amount": amount},
        now=now,
        step=step,
    )


def renew_hold(
    db_session: Session, session: PaidSession, old: PaidSessionHold, now: datetime, config: Config
) -> PaidSessionHold:
    """Replaces a charge hold that lapses soon (or has) by a new one of the same amount: the
    old one voided if still pending, the new one authorised, in this transaction. A hold's
    expiry is never moved (`paid_sessions.renewal` says why and when)."""
    if ledger.get_hold(db_session=db_session, hold_id=old.hold_transfer_id).state == "pending":
        try:
            void = ledger.void(
                db_session=db_session,
                idempotency_key=f"{KEY_PREFIX}:{session.id}:renew:{old.id}",
                hold_id=old.hold_transfer_id,
                now=now,
            )
            old.resolved_transfer_id = void.id
        except HoldAlreadyResolved:  # it lapsed this moment: nothing left to release
            pass
    old.renewed_at = now
    new = authorise_hold(
        db_session,
        session,
        purpose="charge",
        amount=old.amount,
        now=now,
        config=config,
        within_limit=False,
    )
    record(
        db_session,
        Event.HOLD_RENEWED,
        THE_METER,
        session,
        now,
        amount=old.amount,
        currency=session.currency,
    )
    return new


def _postable(db_session: Session, session: PaidSession, hold: PaidSessionHold, now, config):
    """The hold, or its renewal if it cannot be posted any more (it lapsed while the server
    was down, before the renewal job came round)."""
    held = ledger.get_hold(db_session=db_session, hold_id=hold.hold_transfer_id)
    if held.state == "pending" and now < held.expires_at:
        return hold
    return renew_hold(db_session, session, hold, now, config)


def _capture(db_session: Session, session: PaidSession, config: Config, now: datetime) -> None:
    """Posts the charge across the holds, oldest first; holds it does not need are voided.
    Holds replaced by a renewal were resolved then."""
    left = session.charged
    first_post = None
    live = [h for h in holds_of(db_session=db_session, session_id=session.id) if not h.renewed_at]
    for number, hold in enumerate(live, 1):
        hold = _postable(db_session, session, hold, now, config)
        take = min(left, hold.amount)
        key = f"{KEY_PREFIX}:{session.id}:settle:{number}"
        if take > 0:
            parts = ledger.session_parts(
                take,
                expert_id=session.expert_staff_id,
                currency=session.currency,
                fee_percent=config.fee_percent,
                tax_percent=config.tax_percent,
            )
            transfer = ledger.post(
                db_session=db_session,
                idempotency_key=key,
                hold_id=hold.hold_transfer_id,
                parts=parts,
                now=now,
            )
            first_post = first_post or transfer.id
        else:
            transfer = ledger.void(
                db_session=db_session, idempotency_key=key, hold_id=hold.hold_transfer_id, now=now
            )
        hold.resolved_transfer_id = transfer.id
        left -= take
    session.capture_transfer_id = first_post


def end(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    now: datetime,
    config: Config,
    waive: int = 0,
) -> Done:
    """Either side ends a started session; the expert may waive `waive` of the amount.
    The charge is posted across the holds and the rest released."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if waive and sender.party != EXPERT:
            raise NotYourStep()
        _settle(db_session, session, now, config)
        if session.status not in STARTED:
            raise WrongState(status=session.status)
        seconds = billed_seconds(session, now)
        session.banked_seconds = session.billed_seconds = seconds
        session.amount = amount_of(session, seconds)
        if waive < 0 or waive > session.amount:
            raise WaiverTooHigh(amount=session.amount, currency=session.currency)
        session.waived = waive
        session.status = "ended"
        session.run_started_at = None
        session.paused_reason = None
        session.resume_requested = False
        session.gone_since = None
        session.ended_at = now
        session.ended_by = sender.party
        _capture(db_session, session, config, now)
        if not _expert_busy_elsewhere(db_session, session):
            staff_id = session.expert_staff_id
            availability.clear_busy(db_session=db_session, staff_id=staff_id, now=now)
        db_session.flush()
        record(
            db_session,
            Event.ENDED,
            sender,
            session,
            now,
            seconds=seconds,
            amount=session.amount,
            waived=session.waived,
            currency=session.currency,
        )
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="end",
        content={"session_id": session_id, "waive": waive},
        now=now,
        step=step,
    )


def _expert_busy_elsewhere(db_session: Session, session: PaidSession) -> bool:
    return (
        db_session.scalar(
            select(PaidSession.id).where(
                PaidSession.expert_staff_id == session.expert_staff_id,
                PaidSession.status.in_(STARTED),
                PaidSession.id != session.id,
            )
        )
        is not None
    )


def tip(
    *,
    db_session: Session,
    sender: Sender,
    command_id: str,
    session_id: int,
    amount: int,
    now: datetime,
    config: Config,
) -> Done:
    """The customer's tip after the end: a hold of its own, posted to the expert whole."""

    def step() -> PaidSession:
        session = _locked(db_session, session_id, sender)
        if sender.party != CUSTOMER:
            raise NotYourStep()
        if session.status != "ended":
            raise WrongState(status=session.status)
        if session.tip_transfer_id is not None:
            raise AlreadyTipped()
        hold = authorise_hold(
            db_session, session, purpose="tip", amount=amount, now=now, config=config
        )
        posted = ledger.post(
            db_session=db_session,
            idempotency_key=f"{KEY_PREFIX}:{session.id}:tip-post",
            hold_id=hold.hold_transfer_id,
            parts=[
                ledger.Part(
                    accounts.expert_earnings(session.expert_staff_id, session.currency), amount
                )
            ],
            now=now,
        )
        hold.resolved_transfer_id = posted.id
        session.tip = amount
        session.tip_transfer_id = posted.id
        db_session.flush()
        record(
            db_session, Event.TIPPED, sender, session, now, amount=amount, currency=session.currency
        )
        return session

    return once(
        db_session=db_session,
        sender=sender,
        command_id=command_id,
        kind="tip",
        content={"session_id": session_id, "amount": amount},
        now=now,
        step=step,
    )


# --- the tick --------------------------------------------------------------------------


# A socket's worker marks it seen every `REFRESH_INTERVAL`; one not marked for longer
# than this (a little slack for a busy worker) may have died with its worker. Presence
# still counts it for a while (`alive_since`), but the meter does not bill on it.
REFRESHED_WITHIN = REFRESH_INTERVAL + timedelta(seconds=5)


def present(
    db_session: Session, sessions: list[PaidSession], now: datetime
) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """Of the sessions' customers, those with a live device socket, and of their experts,
    those with a live portal tab (`realtime.presence`), each with the last time its
    freshest socket was marked seen: two queries for any number."""
    alive = LiveConnection.seen_at >= alive_since(now)
    customer_ids = sorted({session.customer_id for session in sessions})
    expert_ids = sorted({session.expert_staff_id for session in sessions})
    customers = db_session.execute(
        select(Device.customer_id, func.max(LiveConnection.seen_at))
        .join(LiveConnection, LiveConnection.device_id == Device.id)
        .where(Device.customer_id.in_(customer_ids), alive)
        .group_by(Device.customer_id)
    )
    experts = db_session.execute(
        select(LiveConnection.staff_id, func.max(LiveConnection.seen_at))
        .where(LiveConnection.staff_id.in_(expert_ids), alive)
        .group_by(LiveConnection.staff_id)
    )
    return dict(customers.all()), dict(experts.all())


def _both_seen(session: PaidSession, customers: dict, experts: dict) -> datetime | None:
    """When both sides' sockets were last marked seen (the older of the two); None when a
    side has none."""
    customer, expert = customers.get(session.customer_id), experts.get(session.expert_staff_id)
    if customer is None or expert is None:
        return None
    return min(customer, expert)


@dataclass(frozen=True)
class Ticked:
    session: PaidSession
    meter: wire.SessionMeter
    warned: bool  # the 80 % warning is new with this tick


def tick(*, db_session: Session, now: datetime, config: Config) -> list[Ticked]:
    """Every running session: who is here, the figures as of `now`, the warning, the stop
    at the maximum, the pause of a side gone beyond the grace period."""
    # Every running session at once, their rows locked (PostgreSQL) in one order, read
    # afresh: a command that changed one meanwhile has committed.
    sessions = list(
        db_session.scalars(
            select(PaidSession)
            .where(PaidSession.status == "running")
            .order_by(PaidSession.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if not sessions:
        return []
    customers_here, experts_here = present(db_session, sessions, now)
    done = []
    for session in sessions:
        # A session the meter has not watched for a while is settled as it was last seen:
        # the rows of the sockets a dead server held still look alive for a while, and
        # must not count as both sides having been here all along.
        if not unwatched(session, now, config):
            seen = _both_seen(session, customers_here, experts_here)
            if seen is not None and seen >= now - REFRESHED_WITHIN:
                session.gone_since = None
                session.both_seen_at = now
            elif session.gone_since is None:
                # A socket whose worker stopped marking it (the worker died) is gone
                # since it was last marked, not since the last tick that counted it.
                stale = seen is not None and seen < now - REFRESHED_WITHIN
                session.gone_since = (seen if stale else None) or last_watched(session) or now
        _settle(db_session, session, now, config)
        shown = meter(session, now)
        warned = False
        if shown.warning and session.warned_for != session.maximum:
            session.warned_for = session.maximum
            warned = True
            record(db_session, Event.WARNED, THE_METER, session, now, amount=shown.amount)
        done.append(Ticked(session, shown, warned))
    db_session.flush()
    return done
