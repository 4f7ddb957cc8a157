"""A month's payout to an expert, one per expert, currency and month: its ledger transfer
(`payout`, from the expert's earnings to the payout provider) and who marked it paid."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class Payout(Base):
    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint("expert_staff_id", "currency", "period"),  # uq_payouts_expert_staff_id
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    period: Mapped[str] = mapped_column(String(7))  # 2026-11: the month, in the portal's zone
    amount: Mapped[int] = mapped_column(BigInteger)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_by_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="RESTRICT")
    )
