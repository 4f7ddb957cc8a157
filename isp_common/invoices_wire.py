"""A customer's invoices on the wire: what the portal and the assistant exchange.

After a paid session with an expert the customer gets an invoice (and after a refund a
correcting invoice), also by e-mail. The assistant lists them and downloads each PDF:

    GET /api/v1/invoices                    (signed by a linked device) -> InvoiceList
    GET /api/v1/invoices/{invoice_id}/pdf   (its own customer's only)   -> application/pdf

A customer who disagrees with what a session cost disputes it from the invoice; an admin
decides (a refund, or a rejection with a note), and the invoice says how it stands:

    POST /api/v1/billing/sessions/{session_id}/dispute   DisputeIn -> DisputeOut

Amounts are integers in minor units of `currency`; `issued_at` is UTC (ISO 8601), shown in
the reader's zone with `isp_common.formatting`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

INVOICES_PATH = "/api/v1/invoices"


DISPUTE_PATH = "/api/v1/billing/sessions/{session_id}/dispute"
DISPUTE_REASON_LIMIT = 1000  # characters

# Where a dispute stands: waiting for an admin, or decided.
DisputeStatus = Literal["open", "refunded", "rejected"]


def invoice_pdf_path(invoice_id: int) -> str:
    return f"{INVOICES_PATH}/{invoice_id}/pdf"


def dispute_path(session_id: int) -> str:
    return DISPUTE_PATH.format(session_id=int(session_id))


class InvoiceKind(StrEnum):
    invoice = "invoice"
    correction = "correction"  # a refund's correcting invoice: `total` comes back


class InvoiceSummary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    number: str = Field(max_length=20)  # 2026-000123
    kind: InvoiceKind
    issued_at: datetime
    expert_name: str = Field(max_length=200)
    currency: str = Field(min_length=3, max_length=3)
    total: int  # what the customer pays (an invoice) or gets back (a correction)
    file_name: str = Field(max_length=60)
    # The paid session it bills (to dispute), and where its dispute stands, if it has one.
    session_id: int | None = None
    dispute: DisputeStatus | None = None


class InvoiceList(BaseModel):
    model_config = ConfigDict(extra="ignore")

    invoices: list[InvoiceSummary]


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=1, max_length=DISPUTE_REASON_LIMIT, description="What is wrong, in words"
    )


class DisputeOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    session_id: int
    raised_at: datetime
    status: DisputeStatus
    note: str | None = Field(default=None, description="The admin's note on the decision, if any")
