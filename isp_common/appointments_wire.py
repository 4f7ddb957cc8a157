"""Appointments with experts on the wire: what the portal and the assistant exchange.

An expert proposes an appointment in a conversation with a customer (a pre-chat or an
offline message): a start in the expert's time zone, a duration and terms. The customer
accepts or declines it; either side cancels an accepted one. Times travel in UTC
(ISO 8601 with offset) together with the expert's zone's name; each side shows them in its
own zone with `isp_common.formatting`. Prices are integers in minor units of `currency`.

    GET  /api/v1/appointments                 (signed by a linked device) -> AppointmentList
    POST /api/v1/appointments/{id}/accept     -> AppointmentView
    POST /api/v1/appointments/{id}/decline    -> AppointmentView
    POST /api/v1/appointments/{id}/cancel     -> AppointmentView

Socket notices to the customer's device and the expert's tabs: `appointment.changed`
(`AppointmentNotice`, a proposal, a decision or a cancellation) and `appointment.reminder`
(`AppointmentNotice`, once, `PORTAL_APPOINTMENT_REMINDER_MINUTES` before the start).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

APPOINTMENTS_PATH = "/api/v1/appointments"
APPOINTMENT_CHANGED = "appointment.changed"
APPOINTMENT_REMINDER = "appointment.reminder"


class AppointmentTerms(StrEnum):
    per_minute = "per_minute"  # the expert's price per minute, as in any paid session
    fixed = "fixed"  # a fixed price agreed in advance (`price`)
    free = "free"


class AppointmentStatus(StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class AppointmentView(_Wire):
    id: int
    conversation_id: int
    expert_name: str
    starts_at: datetime
    """UTC."""
    duration_minutes: int
    time_zone: str
    """The expert's IANA zone, in which the expert proposed it."""
    terms: AppointmentTerms
    price: int | None = None
    """Fixed terms: the price in minor units of `currency`; otherwise None."""
    price_per_minute: int | None = None
    """Per-minute terms: the expert's price per minute then."""
    currency: str
    status: AppointmentStatus
    cancelled_by: Literal["customer", "expert"] | None = None


class AppointmentList(_Wire):
    appointments: list[AppointmentView]
    """The customer's proposals awaiting an answer and accepted appointments still to
    come, soonest first."""


class AppointmentNotice(_Wire):
    type: Literal["appointment.changed", "appointment.reminder"]
    appointment: AppointmentView
