"""The bodies of the billing feed (`GET /api/v1/billing/charges`) and its acknowledgement
(`POST /api/v1/billing/charges/ack`), read by the ISP's back end."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent_portal.billing.service import MAX_ACK
from agent_portal.params import Id


class ChargeOut(BaseModel):
    """One line for the customer's ISP bill."""

    id: int = Field(description="The line's id, to acknowledge it with")
    cursor: str = Field(description="Resume the feed after this line with ?after=<cursor>")
    account_number: str = Field(description="The customer's account number")
    session_id: int = Field(description="The paid session the line belongs to")
    date: datetime = Field(description="When the money moved (the ledger transfer), UTC")
    amount: int = Field(
        description="Minor units (cents, Rappen); negative for a refund", examples=[1250]
    )
    currency: str = Field(description="ISO 4217", examples=["CHF"])
    kind: Literal["charge", "tip", "refund"]
    description: str = Field(description="The bill line's text, in the customer's language")
    booked: bool = Field(description="The back end has acknowledged it")


class ChargesPage(BaseModel):
    charges: list[ChargeOut]
    next_cursor: str = Field(
        description="Pass as ?after= for the next page; the same cursor again when the "
        "page was empty (poll with it later)"
    )
    has_more: bool


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(min_length=1, max_length=MAX_ACK, description="Line ids booked")


class AckOut(BaseModel):
    booked: list[int] = Field(description="Booked by this request")
    already_booked: list[int] = Field(description="Acknowledged before; left as they were")
