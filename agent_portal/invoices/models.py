"""Invoices, credit notes and their counters.

A document's number is `<year>-<six digits>`, one series each for the customers' documents
(invoices and their corrections) and the experts' credit notes. Each series and year has a
counter row that the issuing transaction increments (`numbering`): a number is taken in
the same transaction that stores its document, so a rolled-back issue gives its number
back and two issues at once wait for each other's row, never sharing or skipping one.

Amounts are integer minor units of `currency`, as the ledger booked them:
- `amount`, `waived`, `tip`: the session's figures (a correction: the refund in `amount`);
- `fee`, `tax`: the platform's fee and the tax in what was charged (or refunded);
- `total`: an invoice what the customer pays (charge + tip), a credit note what the expert
  earns (charge + tip - fee - tax), a correction what the customer gets back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime

SERIES = ("invoice", "credit_note")
KINDS = ("invoice", "credit_note", "correction")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class InvoiceCounter(Base):
    __tablename__ = "invoice_counters"
    __table_args__ = (
        CheckConstraint(_one_of("series", SERIES), name="series"),
        CheckConstraint("last_number >= 0", name="last_number"),
    )

    series: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(_one_of("series", SERIES), name="series"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(
            "amount >= 0 AND waived >= 0 AND tip >= 0 AND fee >= 0 AND tax >= 0 AND total >= 0",
            name="figures",
        ),
        UniqueConstraint("series", "number"),  # named uq_invoices_series
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(20))
    # What the document is for, once: "session:<id>:invoice", "refund:<transfer id>", ...
    source_key: Mapped[str] = mapped_column(String(60), unique=True)
    paid_session_id: Mapped[int] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="RESTRICT"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    expert_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="RESTRICT"), index=True
    )
    # A correction names the document it corrects (the customer's invoice, or in the credit
    # note series the expert's credit note) and the ledger's refund.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    refund_transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT")
    )
    language: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    waived: Mapped[int] = mapped_column(BigInteger)
    tip: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL")
    )

    @property
    def document_type(self) -> str:
        """invoice, credit_note, correction (of an invoice, for the customer), or
        credit_correction (of a credit note, for the expert: a correction in that series)."""
        if self.kind == "correction" and self.series == "credit_note":
            return "credit_correction"
        return self.kind

    @property
    def file_name(self) -> str:
        return f"{self.document_type.replace('_', '-')}-{self.number}.pdf"
