"""Billing's rules: the ISP bill's feed of paid sessions' money, its acknowledgement, and
an admin's refund. Functions take a db session, flush and never commit.

The feed's order. Ledger transfers get their ids when they are written, not when they
commit: on PostgreSQL a transfer with a smaller id may commit after one with a larger id,
so a feed ordered by transfer id (or time) would let a reader that had passed the larger
one skip the smaller one for ever. So the feed does not read the transfers directly:
`collect` copies each new charge, tip and refund into `billing_charges` once and gives it
the next `position`, and it does so holding the feed's lock (an UPDATE of the one row of
`billing_feed`, its first statement, so on SQLite it takes the write lock before it reads).
Collections therefore run one after another; each sees every transfer committed before it
took the lock (READ COMMITTED: a new snapshot per statement) and gives positions above all
earlier ones; and a collection's lines become visible only when it commits, before the next
collection can start. So the lines committed form a gapless-in-order prefix: a transfer that
commits late is collected late, at a higher position, and a reader who passed position N
has seen every line at or below N for good. The cursor is that position, opaque to the
client.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from babel import numbers as babel_numbers
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from agent_portal.audit import service as audit
from agent_portal.audit.service import Actor
from agent_portal.billing import errors
from agent_portal.billing.audit_events import Event
from agent_portal.billing.models import (
    DISPUTE_RESOLUTIONS,
    BillingCharge,
    BillingDispute,
    BillingFeed,
)
from agent_portal.billing.providers import provider as payment_provider
from agent_portal.customers.models import Customer
from agent_portal.experts.models import ExpertCategory
from agent_portal.i18n import translator
from agent_portal.ledger import errors as ledger_errors
from agent_portal.ledger.models import Account, Entry, Transfer
from agent_portal.ledger.service import remaining_parts
from agent_portal.paid_sessions.models import PaidSession
from isp_common import formatting
from isp_common.i18n import N_

MAX_PAGE = 500
DEFAULT_PAGE = 100
MAX_ACK = 500
_CURSOR_PREFIX = "billing-v1:"

# --- collecting -------------------------------------------------------------------------


def collect(*, db_session: Session, now: datetime) -> int:
    """Adds every charge, tip and refund of paid sessions not yet in the feed, in the
    order of their transfers, at the next positions; answers how many. Holds the feed's
    lock until the caller commits (see the module's docstring)."""
    db_session.execute(
        update(BillingFeed)
        .where(BillingFeed.id == 1)
        .values(next_position=BillingFeed.next_position)
    )
    next_position = db_session.scalar(select(BillingFeed.next_position).where(BillingFeed.id == 1))
    collected = select(BillingCharge.transfer_id)
    new_lines: list[tuple[Transfer, PaidSession, str]] = []
    for kind, column in (
        ("charge", PaidSession.capture_transfer_id),
        ("tip", PaidSession.tip_transfer_id),
    ):
        rows = db_session.execute(
            select(Transfer, PaidSession)
            .join(PaidSession, column == Transfer.id)
            .where(Transfer.id.not_in(collected))
        ).all()
        new_lines += [(transfer, paid, kind) for transfer, paid in rows]
    refunds = db_session.execute(
        select(Transfer, PaidSession)
        .join(
            PaidSession,
            or_(
                PaidSession.capture_transfer_id == Transfer.reverses_id,
                PaidSession.tip_transfer_id == Transfer.reverses_id,
            ),
        )
        .where(Transfer.kind == "refund", Transfer.id.not_in(collected))
    ).all()
    new_lines += [(transfer, paid, "refund") for transfer, paid in refunds]
    new_lines.sort(key=lambda line: (line[0].created_at, line[0].id))
    described = _Describer(db_session)
    for transfer, paid, kind in new_lines:
        db_session.add(
            BillingCharge(
                position=next_position,
                transfer_id=transfer.id,
                paid_session_id=paid.id,
                customer_id=paid.customer_id,
                kind=kind,
                amount=-transfer.amount if kind == "refund" else transfer.amount,
                currency=transfer.currency,
                description=described(paid, kind, transfer),
                occurred_at=transfer.created_at,
                collected_at=now,
            )
        )
        next_position += 1
    if new_lines:
        db_session.execute(
            update(BillingFeed).where(BillingFeed.id == 1).values(next_position=next_position)
        )
    db_session.flush()
    return len(new_lines)


class _Describer:
    """The bill line's text, in the customer's language."""

    def __init__(self, db_session: Session) -> None:
        self.db_session = db_session

    def __call__(self, paid: PaidSession, kind: str, transfer: Transfer) -> str:
        customer = self.db_session.get(Customer, paid.customer_id)
        language = customer.language if customer is not None else "de"
        token = translator.language.set(language)
        try:
            return describe(self.db_session, paid, kind, language)[:200]
        finally:
            translator.language.reset(token)


def describe(db_session: Session, paid: PaidSession, kind: str, language: str) -> str:
    gettext = translator.gettext
    category = db_session.get(ExpertCategory, paid.category_id) if paid.category_id else None
    topic = category.name(language) if category is not None else gettext(N_("expert help"))
    if kind == "tip":
        return gettext(N_("Tip for expert help: %(topic)s")) % {"topic": topic}
    if kind == "refund":
        return gettext(N_("Refund of expert help: %(topic)s")) % {"topic": topic}
    if paid.terms == "fixed":
        return gettext(N_("Expert help: %(topic)s, fixed price")) % {"topic": topic}
    length = formatting.duration(paid.billed_seconds, locale=language)
    return gettext(N_("Expert help: %(topic)s, %(duration)s")) % {
        "topic": topic,
        "duration": length,
    }


# --- the feed ---------------------------------------------------------------------------


def encode_cursor(position: int) -> str:
    raw = f"{_CURSOR_PREFIX}{position}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for; 0 for none. `CursorInvalid` for anything this
    feed did not give out."""
    if cursor is None or cursor == "":
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise errors.CursorInvalid() from None
    match = re.fullmatch(re.escape(_CURSOR_PREFIX) + r"(0|[1-9][0-9]{0,17})", text)
    if match is None or encode_cursor(int(match.group(1))) != cursor:
        raise errors.CursorInvalid()
    return int(match.group(1))


@dataclass(frozen=True)
class FeedLine:
    charge: BillingCharge
    account_number: str


@dataclass(frozen=True)
class FeedPage:
    lines: list[FeedLine]
    next_cursor: str
    has_more: bool


def feed(
    *, db_session: Session, after: int, limit: int = DEFAULT_PAGE, unbooked: bool = False
) -> FeedPage:
    """The lines after position `after`, in position order, at most `limit`."""
    query = (
        select(BillingCharge, Customer.account_number)
        .join(Customer, Customer.id == BillingCharge.customer_id)
        .where(BillingCharge.position > after)
        .order_by(BillingCharge.position)
        .limit(limit + 1)
    )
    if unbooked:
        query = query.where(BillingCharge.booked_at.is_(None))
    rows = db_session.execute(query).all()
    lines = [FeedLine(charge, account_number) for charge, account_number in rows[:limit]]
    last = lines[-1].charge.position if lines else after
    return FeedPage(lines=lines, next_cursor=encode_cursor(last), has_more=len(rows) > limit)


@dataclass(frozen=True)
class Acknowledged:
    booked: list[int]
    already_booked: list[int]


def acknowledge(
    *, db_session: Session, ids: Sequence[int], api_key_id: int | None, now: datetime
) -> Acknowledged:
    """Marks the lines booked. All or nothing: an id no line has refuses the whole
    request (`UnknownCharges`). A line booked before stays as it was (idempotent)."""
    wanted = sorted(set(ids))
    found = dict(
        db_session.execute(
            select(BillingCharge.id, BillingCharge.booked_at).where(BillingCharge.id.in_(wanted))
        ).all()
    )
    unknown = [charge_id for charge_id in wanted if charge_id not in found]
    if unknown:
        raise errors.UnknownCharges(unknown)
    to_book = [charge_id for charge_id in wanted if found[charge_id] is None]
    booked: list[int] = []
    if to_book:
        # Conditional: of two acknowledgements at once, each line is booked by one.
        result = db_session.execute(
            update(BillingCharge)
            .where(BillingCharge.id.in_(to_book), BillingCharge.booked_at.is_(None))
            .values(booked_at=now, booked_by_api_key_id=api_key_id)
            .returning(BillingCharge.id)
        )
        booked = sorted(result.scalars().all())
    db_session.flush()
    return Acknowledged(booked=booked, already_booked=[i for i in wanted if i not in set(booked)])


# --- the admin's money pages ------------------------------------------------------------


@dataclass(frozen=True)
class SessionMoney:
    paid: PaidSession
    account_number: str
    expert_name: str
    captured: int  # the charge's capture
    tip_captured: int
    refunded: int  # of charge and tip together
    fee: int  # the platform's fee, less what refunds took back of it
    refundable_charge: int
    refundable_tip: int
    billed: bool  # some line of it is in the ISP's feed
    dispute: BillingDispute | None


@dataclass(frozen=True)
class Filters:
    status: str = ""
    account_number: str = ""
    expert_staff_id: int | None = None
    currency: str = ""
    ended_from: date | None = None
    ended_until: date | None = None
    refunded_only: bool = False
    disputed_only: bool = False  # with a dispute not yet resolved


def session_money(
    *, db_session: Session, filters: Filters, limit: int = 50, offset: int = 0
) -> tuple[list[SessionMoney], int]:
    """The paid sessions (newest first) with their money, and how many match."""
    from agent_portal.auth.models import StaffMember

    query = (
        select(PaidSession, Customer.account_number, StaffMember)
        .join(Customer, Customer.id == PaidSession.customer_id)
        .join(StaffMember, StaffMember.id == PaidSession.expert_staff_id)
    )
    conditions = []
    if filters.status:
        conditions.append(PaidSession.status == filters.status)
    if filters.account_number:
        conditions.append(Customer.account_number == filters.account_number)
    if filters.expert_staff_id:
        conditions.append(PaidSession.expert_staff_id == filters.expert_staff_id)
    if filters.currency:
        conditions.append(PaidSession.currency == filters.currency)
    if filters.ended_from:
        conditions.append(PaidSession.ended_at >= _day_start(filters.ended_from))
    if filters.ended_until:
        conditions.append(PaidSession.ended_at < _day_start(filters.ended_until) + _ONE_DAY)
    if filters.refunded_only:
        refunded = select(Transfer.reverses_id).where(Transfer.kind == "refund")
        conditions.append(
            or_(
                PaidSession.capture_transfer_id.in_(refunded),
                PaidSession.tip_transfer_id.in_(refunded),
            )
        )
    if filters.disputed_only:
        open_disputes = select(BillingDispute.paid_session_id).where(
            BillingDispute.resolved_at.is_(None)
        )
        conditions.append(PaidSession.id.in_(open_disputes))
    if conditions:
        query = query.where(and_(*conditions))
    total = db_session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db_session.execute(
        query.order_by(PaidSession.created_at.desc(), PaidSession.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [_money(db_session, paid, number, staff) for paid, number, staff in rows], total


def session_detail(*, db_session: Session, session_id: int) -> SessionMoney:
    from agent_portal.auth.models import StaffMember

    row = db_session.execute(
        select(PaidSession, Customer.account_number, StaffMember)
        .join(Customer, Customer.id == PaidSession.customer_id)
        .join(StaffMember, StaffMember.id == PaidSession.expert_staff_id)
        .where(PaidSession.id == session_id)
    ).first()
    if row is None:
        raise errors.PaidSessionNotFound(session_id=session_id)
    return _money(db_session, *row)


def refunds_of(*, db_session: Session, paid: PaidSession) -> list[Transfer]:
    posts = [i for i in (paid.capture_transfer_id, paid.tip_transfer_id) if i is not None]
    if not posts:
        return []
    return list(
        db_session.scalars(
            select(Transfer)
            .where(Transfer.kind == "refund", Transfer.reverses_id.in_(posts))
            .order_by(Transfer.created_at, Transfer.id)
        )
    )


def _money(db_session: Session, paid: PaidSession, account_number: str, staff) -> SessionMoney:
    capture = (
        db_session.get(Transfer, paid.capture_transfer_id) if paid.capture_transfer_id else None
    )
    tip = db_session.get(Transfer, paid.tip_transfer_id) if paid.tip_transfer_id else None
    refunds = refunds_of(db_session=db_session, paid=paid)
    fee = _fee(db_session, [t.id for t in (capture, tip) if t] + [r.id for r in refunds])
    billed = db_session.scalar(select(func.count()).where(BillingCharge.paid_session_id == paid.id))
    return SessionMoney(
        paid=paid,
        account_number=account_number,
        expert_name=staff.name,
        captured=capture.amount if capture else 0,
        tip_captured=tip.amount if tip else 0,
        refunded=sum(refund.amount for refund in refunds),
        fee=fee,
        refundable_charge=_refundable(db_session, capture),
        refundable_tip=_refundable(db_session, tip),
        billed=bool(billed),
        dispute=db_session.scalar(
            select(BillingDispute).where(BillingDispute.paid_session_id == paid.id)
        ),
    )


def _refundable(db_session: Session, posted: Transfer | None) -> int:
    if posted is None:
        return 0
    hold = db_session.get(Transfer, posted.hold_id)
    spending_id = next(entry.account_id for entry in hold.entries if entry.debit)
    return sum(
        remaining_parts(db_session=db_session, posted=posted, spending_id=spending_id).values()
    )


def _fee(db_session: Session, transfer_ids: Iterable[int]) -> int:
    ids = list(transfer_ids)
    if not ids:
        return 0
    rows = db_session.execute(
        select(Entry.debit, func.sum(Entry.amount))
        .join(Account, Account.id == Entry.account_id)
        .where(Entry.transfer_id.in_(ids), Account.kind == "platform_fees")
        .group_by(Entry.debit)
    ).all()
    return sum(-int(total) if debit else int(total) for debit, total in rows)


@dataclass(frozen=True)
class MonthFee:
    month: date
    currency: str
    amount: int


def fee_income_by_month(*, db_session: Session, since: date) -> list[MonthFee]:
    """The platform's fee income per month and currency since the month of `since`: fee
    credits of captures less the fee refunds took back, by the transfers' time (UTC)."""
    start = _day_start(since.replace(day=1))
    rows = db_session.execute(
        select(Transfer.created_at, Account.currency, Entry.debit, Entry.amount)
        .join(Entry, Entry.transfer_id == Transfer.id)
        .join(Account, Account.id == Entry.account_id)
        .where(Account.kind == "platform_fees", Transfer.created_at >= start)
    ).all()
    totals: dict[tuple[date, str], int] = {}
    for created_at, currency, debit, amount in rows:
        key = (created_at.astimezone(UTC).date().replace(day=1), currency)
        totals[key] = totals.get(key, 0) + (-amount if debit else amount)
    return [
        MonthFee(month=month, currency=currency, amount=amount)
        for (month, currency), amount in sorted(totals.items())
    ]


# --- refunds ----------------------------------------------------------------------------

REFUND_PARTS = {"charge": N_("charge"), "tip": N_("tip")}


def parse_amount(text: str, currency: str) -> int:
    """Minor units of an amount typed in major units ("12.50", "12,50", "12")."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = (
            cleaned.replace(".", "").replace(",", ".")
            if cleaned.rfind(",") > cleaned.rfind(".")
            else cleaned.replace(",", "")
        )
    else:
        cleaned = cleaned.replace(",", ".")
    digits = babel_numbers.get_currency_precision(currency)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise errors.RefundInvalid(errors.AMOUNT_INVALID) from None
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -digits:
        raise errors.RefundInvalid(errors.AMOUNT_INVALID)
    minor = int(value.scaleb(digits))
    if minor > 10**15:
        raise errors.RefundInvalid(errors.AMOUNT_INVALID)
    return minor


def refund(
    *,
    db_session: Session,
    session_id: int,
    part: str,
    amount: int,
    reason: str,
    actor: Actor,
    idempotency_key: str,
    now: datetime,
) -> Transfer:
    """An admin's refund of part of a session's captured charge or tip, through the
    session's payment provider (the ISP bill's: the ledger). Never above what is left of
    the capture; a refused refund stores nothing."""
    paid = db_session.get(PaidSession, session_id)
    if paid is None:
        raise errors.PaidSessionNotFound(session_id=session_id)
    if part not in REFUND_PARTS:
        raise errors.RefundInvalid(errors.AMOUNT_INVALID)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise errors.RefundInvalid(errors.REASON_MISSING)
    posted_id = paid.capture_transfer_id if part == "charge" else paid.tip_transfer_id
    if posted_id is None:
        raise errors.NothingCaptured(what=REFUND_PARTS[part])
    posted = db_session.get(Transfer, posted_id)
    repeated = db_session.scalar(
        select(Transfer.id).where(Transfer.idempotency_key == idempotency_key)
    )
    left = _refundable(db_session, posted)
    if repeated is None and amount > left:
        raise errors.RefundAboveCapture(amount=amount, left=left, currency=posted.currency)
    try:
        result = payment_provider().refund(
            db_session=db_session,
            idempotency_key=idempotency_key,
            capture_id=posted_id,
            amount=amount,
            reason=reason,
            actor_staff_id=actor.staff_id,
            now=now,
        )
    except ledger_errors.ExceedsCapture as refused:  # another refund came first
        raise errors.RefundAboveCapture(
            amount=amount, left=refused.values.get("refundable", 0), currency=posted.currency
        ) from None
    if repeated is not None:  # the same form sent again: the first refund, nothing new
        return db_session.get(Transfer, result.transfer_id)
    audit.record(
        db_session=db_session,
        event=Event.BILLING_REFUNDED,
        actor=actor,
        now=now,
        account_number=_account_number(db_session, paid.customer_id),
        session_id=paid.id,
        part=part,
        amount=amount,
        currency=posted.currency,
        reason=reason,
        transfer_id=result.transfer_id,
    )
    return db_session.get(Transfer, result.transfer_id)


def _account_number(db_session: Session, customer_id: int) -> str | None:
    customer = db_session.get(Customer, customer_id)
    return customer.account_number if customer is not None else None


# --- disputes ---------------------------------------------------------------------------


def raise_dispute(
    *,
    db_session: Session,
    session_id: int,
    customer_id: int,
    device_id: str | None,
    reason: str,
    now: datetime,
    actor: Actor | None = None,
) -> BillingDispute:
    """The customer's objection to one of their ended sessions. A session has one dispute:
    raising it again answers the first (its reason stays)."""
    paid = db_session.get(PaidSession, session_id)
    if paid is None or paid.customer_id != customer_id or paid.status != "ended":
        raise errors.PaidSessionNotFound(session_id=session_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise errors.DisputeInvalid(errors.DISPUTE_REASON_MISSING)
    found = db_session.scalar(
        select(BillingDispute).where(BillingDispute.paid_session_id == session_id)
    )
    if found is not None:
        return found
    dispute = BillingDispute(
        paid_session_id=session_id,
        customer_id=customer_id,
        device_id=device_id,
        reason=reason,
        raised_at=now,
    )
    db_session.add(dispute)
    db_session.flush()
    audit.record(
        db_session=db_session,
        event=Event.BILLING_DISPUTE_RAISED,
        actor=actor or Actor.system(),
        now=now,
        account_number=_account_number(db_session, customer_id),
        device_id=device_id,
        session_id=session_id,
        reason=reason,
    )
    return dispute


def resolve_dispute(
    *,
    db_session: Session,
    session_id: int,
    resolution: str,
    note: str,
    actor: Actor,
    now: datetime,
) -> BillingDispute:
    """An admin's decision on a session's dispute, once (`DisputeResolved` after)."""
    dispute = db_session.scalar(
        select(BillingDispute).where(BillingDispute.paid_session_id == session_id)
    )
    if dispute is None:
        if db_session.get(PaidSession, session_id) is None:
            raise errors.PaidSessionNotFound(session_id=session_id)
        raise errors.DisputeInvalid(errors.NO_DISPUTE)
    if resolution not in DISPUTE_RESOLUTIONS:
        raise errors.DisputeInvalid(errors.RESOLUTION_UNKNOWN)
    note = (note or "").strip()
    if len(note) > 1000:
        raise errors.DisputeInvalid(errors.NOTE_TOO_LONG)
    # Conditional: of two admins deciding at once, one decides.
    decided = db_session.execute(
        update(BillingDispute)
        .where(BillingDispute.id == dispute.id, BillingDispute.resolved_at.is_(None))
        .values(
            resolved_at=now,
            resolution=resolution,
            resolution_note=note or None,
            resolved_by_staff_id=actor.staff_id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if decided != 1:
        raise errors.DisputeResolved()
    db_session.refresh(dispute)
    audit.record(
        db_session=db_session,
        event=Event.BILLING_DISPUTE_RESOLVED,
        actor=actor,
        now=now,
        account_number=_account_number(db_session, dispute.customer_id),
        session_id=session_id,
        resolution=resolution,
        note=note,
    )
    return dispute


def open_dispute_count(*, db_session: Session) -> int:
    return db_session.scalar(select(func.count()).where(BillingDispute.resolved_at.is_(None)))


_ONE_DAY = timedelta(days=1)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
