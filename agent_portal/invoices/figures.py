"""What the ledger booked for a transfer: its credits (a post) or debits (a refund) by
account kind, so a document shows the fee and tax the ledger split off, to the cent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.ledger.models import Account, Entry


@dataclass(frozen=True)
class Issuer:
    """The ISP as the documents name it, and the rates shown beside fee and tax."""

    name: str
    address: str
    tax_id: str
    tax_percent: Decimal
    fee_percent: Decimal
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings) -> Issuer:
        return cls(
            name=settings.isp_name,
            address=settings.isp_address,
            tax_id=settings.isp_tax_id,
            tax_percent=settings.ledger_tax_percent,
            fee_percent=settings.platform_fee_percent,
            zone=ZoneInfo(settings.time_zone),
        )

    def address_lines(self) -> list[str]:
        lines = self.address.replace("|", "\n").splitlines()
        return [line.strip() for line in lines if line.strip()]


@dataclass(frozen=True)
class Split:
    expert: int = 0
    fee: int = 0
    tax: int = 0

    def __add__(self, other: Split) -> Split:
        return Split(self.expert + other.expert, self.fee + other.fee, self.tax + other.tax)


def split_of(db_session: Session, transfer_id: int | None, *, debit: bool = False) -> Split:
    """The expert's, fee and tax parts of a post (credits) or of a refund (`debit`)."""
    if transfer_id is None:
        return Split()
    rows = db_session.execute(
        select(Account.kind, func.sum(Entry.amount))
        .join(Account, Account.id == Entry.account_id)
        .where(Entry.transfer_id == transfer_id, Entry.debit.is_(debit))
        .group_by(Account.kind)
    ).all()
    by_kind: dict[str, int] = defaultdict(int, {kind: int(total) for kind, total in rows})
    return Split(by_kind["expert_earnings"], by_kind["platform_fees"], by_kind["tax"])
