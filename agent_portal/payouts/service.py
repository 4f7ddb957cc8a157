"""A payout report per expert and month, read from the ledger, and marking a month paid.

A month is a calendar month in the portal's zone (`PORTAL_TIME_ZONE`), named `YYYY-MM`.
What counts in it is what the ledger booked in it: the posts of the expert's sessions'
charges and tips (their expert, fee and tax parts) and the refunds of them, each at its
transfer's time. So the net payout of a month is exactly what the expert's earnings
account gained in it, before payouts: the report sums match the ledger.

`mark_paid` moves a finished month's net to the payout provider by a ledger payout and
stores the `Payout`, once per expert, currency and month. Nothing here commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.invoices.figures import Split, split_of
from agent_portal.invoices.models import Invoice
from agent_portal.ledger import accounts
from agent_portal.ledger.models import Account, Entry, Transfer
from agent_portal.ledger.payouts import payout
from agent_portal.paid_sessions.models import PaidSession
from agent_portal.payouts.errors import (
    AlreadyPaidOut,
    NothingToPayOut,
    PeriodNotOver,
    UnknownExpert,
    UnknownPeriod,
)
from agent_portal.payouts.models import Payout

PERIOD = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def name(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        start = datetime(self.year, self.month, 1, tzinfo=zone)
        following = (self.year + self.month // 12, self.month % 12 + 1)
        return start, datetime(*following, 1, tzinfo=zone)


def parse_period(text: str) -> Period:
    found = PERIOD.fullmatch(text or "")
    if not found or not (1 <= int(found[2]) <= 12) or not (2000 <= int(found[1]) <= 9999):
        raise UnknownPeriod(period=(text or "")[:20])
    return Period(int(found[1]), int(found[2]))


def period_of(moment: datetime, zone: ZoneInfo) -> Period:
    local = moment.astimezone(zone)
    return Period(local.year, local.month)


@dataclass
class Line:
    """One session's money in the month."""

    paid_session_id: int
    ended_at: datetime | None
    credit_note: str | None
    charged: int = 0
    waived: int = 0
    tip: int = 0
    fee: int = 0
    tax: int = 0
    earned: int = 0
    refunded: int = 0  # given back to the customer
    refunded_expert: int = 0  # of it, taken back from the expert's share


@dataclass
class Totals:
    currency: str
    lines: list[Line] = field(default_factory=list)
    sessions: int = 0
    charged: int = 0
    waived: int = 0
    tips: int = 0
    fee: int = 0
    tax: int = 0
    earned: int = 0
    refunded: int = 0
    refunded_expert: int = 0
    paid: Payout | None = None

    @property
    def net(self) -> int:
        return self.earned - self.refunded_expert


@dataclass
class Report:
    expert: StaffMember
    period: Period
    currencies: list[Totals]


def expert(*, db_session: Session, staff_id: int) -> StaffMember:
    found = db_session.get(StaffMember, staff_id)
    if found is None or found.role != "expert":
        raise UnknownExpert()
    return found


def report(*, db_session: Session, staff_id: int, period: Period, zone: ZoneInfo) -> Report:
    member = expert(db_session=db_session, staff_id=staff_id)
    start, end = period.bounds(zone)
    in_period = and_(Transfer.created_at >= start, Transfer.created_at < end)
    sessions = {
        paid.id: paid
        for paid in db_session.scalars(
            select(PaidSession).where(PaidSession.expert_staff_id == staff_id)
        )
    }
    by_transfer: dict[int, tuple[PaidSession, str]] = {}
    for paid in sessions.values():
        if paid.capture_transfer_id:
            by_transfer[paid.capture_transfer_id] = (paid, "capture")
        if paid.tip_transfer_id:
            by_transfer[paid.tip_transfer_id] = (paid, "tip")
    totals: dict[str, Totals] = {}
    lines: dict[int, Line] = {}
    notes = dict(
        db_session.execute(
            select(Invoice.paid_session_id, Invoice.number).where(
                Invoice.expert_staff_id == staff_id, Invoice.kind == "credit_note"
            )
        ).all()
    )

    def line_of(paid: PaidSession) -> Line:
        if paid.id not in lines:
            lines[paid.id] = Line(paid.id, paid.ended_at, notes.get(paid.id))
            total = totals.setdefault(paid.currency, Totals(paid.currency))
            total.lines.append(lines[paid.id])
        return lines[paid.id]

    chosen = list(by_transfer) or [-1]
    for transfer in db_session.scalars(
        select(Transfer)
        .where(
            in_period,
            or_(
                and_(Transfer.kind == "post", Transfer.id.in_(chosen)),
                and_(Transfer.kind == "refund", Transfer.reverses_id.in_(chosen)),
            ),
        )
        .order_by(Transfer.id)
    ):
        if transfer.kind == "post":
            paid, what = by_transfer[transfer.id]
            line = line_of(paid)
            split = split_of(db_session, transfer.id)
            if what == "capture":
                line.charged += transfer.amount
                line.waived += paid.waived
            else:
                line.tip += transfer.amount
        else:
            paid, _what = by_transfer[transfer.reverses_id]
            line = line_of(paid)
            refund = split_of(db_session, transfer.id, debit=True)
            line.refunded += transfer.amount
            line.refunded_expert += refund.expert
            split = Split()
        line.fee += split.fee
        line.tax += split.tax
        line.earned += split.expert
    paid_out = {
        payout_row.currency: payout_row
        for payout_row in db_session.scalars(
            select(Payout).where(Payout.expert_staff_id == staff_id, Payout.period == period.name)
        )
    }
    for currency in paid_out:
        totals.setdefault(currency, Totals(currency))
    for total in totals.values():
        total.lines.sort(
            key=lambda line: (line.ended_at is None, line.ended_at, line.paid_session_id)
        )
        total.sessions = sum(1 for line in total.lines if line.charged or line.tip)
        for name in ("charged", "waived", "fee", "tax", "earned", "refunded", "refunded_expert"):
            setattr(total, name, sum(getattr(line, name) for line in total.lines))
        total.tips = sum(line.tip for line in total.lines)
        total.paid = paid_out.get(total.currency)
    return Report(member, period, sorted(totals.values(), key=lambda t: t.currency))


def overview(*, db_session: Session, period: Period, zone: ZoneInfo) -> list[Report]:
    """Every expert's report of the month that has money in it, by name."""
    experts = db_session.scalars(
        select(StaffMember).where(StaffMember.role == "expert").order_by(StaffMember.display_name)
    ).all()
    reports = [
        report(db_session=db_session, staff_id=member.id, period=period, zone=zone)
        for member in experts
    ]
    return [found for found in reports if found.currencies]


def mark_paid(
    *,
    db_session: Session,
    staff_id: int,
    period: Period,
    zone: ZoneInfo,
    admin_id: int,
    now: datetime,
) -> list[Payout]:
    """Pays out the month's net in each currency: refused before the month has ended, when
    it was paid out already, or when there is nothing to pay."""
    found = report(db_session=db_session, staff_id=staff_id, period=period, zone=zone)
    name = found.expert.display_name or found.expert.username
    if now < period.bounds(zone)[1]:
        raise PeriodNotOver(period=period.name)
    if any(total.paid for total in found.currencies):
        raise AlreadyPaidOut(expert=name, period=period.name)
    due = [total for total in found.currencies if total.net > 0]
    if not due:
        raise NothingToPayOut(expert=name, period=period.name)
    made = []
    for total in due:
        transfer = payout(
            db_session=db_session,
            idempotency_key=f"payout:{staff_id}:{total.currency}:{period.name}",
            expert_id=staff_id,
            currency=total.currency,
            amount=total.net,
            reason=f"payout {period.name}",
            actor_staff_id=admin_id,
            now=now,
        )
        row = Payout(
            expert_staff_id=staff_id,
            currency=total.currency,
            period=period.name,
            amount=total.net,
            transfer_id=transfer.id,
            paid_at=now,
            paid_by_staff_id=admin_id,
        )
        db_session.add(row)
        try:
            db_session.flush()
        except IntegrityError:  # another admin's mark of the same month won
            raise AlreadyPaidOut(expert=name, period=period.name) from None
        made.append(row)
    return made


def earnings_gained(
    *, db_session: Session, staff_id: int, currency: str, period: Period, zone: ZoneInfo
) -> int:
    """What the expert's earnings account gained in the month before payouts, from its
    entries alone (credits minus debits): what the report's net must equal."""
    start, end = period.bounds(zone)
    total = 0
    for debit, amount in db_session.execute(
        select(Entry.debit, Entry.amount)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(Account, Account.id == Entry.account_id)
        .where(
            Account.code == accounts.expert_earnings(staff_id, currency),
            Transfer.kind != "payout",
            Transfer.created_at >= start,
            Transfer.created_at < end,
        )
    ):
        total += -amount if debit else amount
    return total


def months_with_money(*, db_session: Session, staff_id: int, zone: ZoneInfo) -> list[Period]:
    """The months in which the expert's earnings moved, newest first."""
    moments = db_session.scalars(
        select(Transfer.created_at)
        .join(Entry, Entry.transfer_id == Transfer.id)
        .join(Account, Account.id == Entry.account_id)
        .where(Account.code.like(f"expert:{staff_id}:earnings:%"), Transfer.kind != "payout")
    ).all()
    found = {period_of(moment, zone) for moment in moments}
    return sorted(found, key=lambda p: (p.year, p.month), reverse=True)
