"""The local API of the appointments on the Experts tab (signed-in customers only; the
server is asked with this computer's key through `assistant.escalation.appointments`):

    GET  /api/appointments                  {"appointments": [view, ...]}, soonest first
    POST /api/appointments/{id}/{action}    accept, decline or cancel: the changed view

Each view is written for the page in the assistant's language and in this computer's time
zone (`isp_common.formatting`): when, how long, the terms, the status. A refusal answers
`{"error": the customer's sentence, "code": ...}` as the Experts tab's do.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from assistant.escalation.appointments import (
    ACTIONS,
    AppointmentRefused,
    AppointmentsClient,
    AppointmentsUnavailable,
)
from assistant.i18n import _
from assistant.local_api.experts_api import Refusal
from isp_common import formatting
from isp_common.appointments_wire import AppointmentStatus, AppointmentTerms, AppointmentView

router = APIRouter(prefix="/api/appointments")


def _client(request: Request) -> AppointmentsClient:
    premium = request.app.state.context.premium
    if not premium.service.status().linked or not premium.server_url:
        raise Refusal(409, "not_linked", _("Sign in to see your appointments."))
    return AppointmentsClient(premium.server_url, premium.service.device_key)


async def _ask(request: Request, call, *args):
    client = _client(request)
    try:
        return await asyncio.to_thread(call, client, *args)
    except AppointmentRefused as err:
        raise Refusal(
            409, err.code, _("This appointment was already answered or cancelled.")
        ) from err
    except AppointmentsUnavailable as err:
        raise Refusal(
            503, "unavailable", _("The appointments cannot be reached right now. Try again later.")
        ) from err
    finally:
        client.close()


def terms_text(appointment: AppointmentView, language: str) -> str:
    if appointment.terms is AppointmentTerms.free:
        return _("Free of charge")
    if appointment.terms is AppointmentTerms.fixed:
        price = formatting.money(appointment.price or 0, appointment.currency, locale=language)
        return _("Fixed price {price}").format(price=price)
    price = formatting.money(
        appointment.price_per_minute or 0, appointment.currency, locale=language
    )
    return _("{price} per minute").format(price=price)


def status_text(status: AppointmentStatus) -> str:
    return {
        AppointmentStatus.proposed: _("Proposed: awaiting your answer"),
        AppointmentStatus.accepted: _("Accepted"),
        AppointmentStatus.declined: _("Declined"),
        AppointmentStatus.cancelled: _("Cancelled"),
    }[status]


def view(appointment: AppointmentView, language: str) -> dict:
    """For the page: the start in this computer's own zone (zone=None)."""
    return {
        "id": appointment.id,
        "expert": appointment.expert_name,
        "title": _("Appointment with {name}").format(name=appointment.expert_name),
        "when": formatting.moment(appointment.starts_at, locale=language, zone=None),
        "starts_at": appointment.starts_at.isoformat(),
        "duration": formatting.duration(appointment.duration_minutes * 60, locale=language),
        "terms": terms_text(appointment, language),
        "status": appointment.status.value,
        "status_text": status_text(appointment.status),
    }


@router.get("")
async def upcoming(request: Request) -> dict:
    found = await _ask(request, AppointmentsClient.upcoming)
    language = request.app.state.context.language
    return {"appointments": [view(appointment, language) for appointment in found]}


@router.post("/{appointment_id}/{action}")
async def answer(appointment_id: int, action: str, request: Request) -> dict:
    if action not in ACTIONS:
        raise Refusal(404, "not_found", _("This appointment cannot be found."))
    changed = await _ask(request, AppointmentsClient.answer, appointment_id, action)
    return view(changed, request.app.state.context.language)
