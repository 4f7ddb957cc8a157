"""The local API of the appointments on the Experts tab (signed-in customers only; the
server is asked with this computer's key through `assistant.escalation.appointments`):

    GET  /api/appointments                  {"appointments": [view, ...]}, soonest first
    POST /api/appointments/{id}/{action}    accept, decline or cancel: the changed view
    POST /api/appointments/notices/{key}/dismiss   the customer has read a notice (204)

The same views, and the notices (a new proposal, a cancellation by the expert, the
reminder), reach the page on any tab through live help's stream (`/api/live/events`): the
live channel's `appointment.changed` and `appointment.reminder` frames keep them current
(`assistant.escalation.appointment_board`).

Each view is written for the page in the assistant's language and in this computer's time
zone (`isp_common.formatting`): when, how long, the terms, the status. A refusal answers
`{"error": the customer's sentence, "code": ...}` as the Experts tab's do.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from assistant.escalation.appointment_view import view
from assistant.escalation.appointments import (
    ACTIONS,
    AppointmentRefused,
    AppointmentsClient,
    AppointmentsUnavailable,
)
from assistant.i18n import _
from assistant.local_api.experts_api import Refusal

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


def _board(request: Request):
    """Live help's appointment board, while live help runs (else None)."""
    live = request.app.state.context.live
    help = live.help if live is not None else None
    return help.appointments if help is not None else None


@router.get("")
async def upcoming(request: Request) -> dict:
    found = await _ask(request, AppointmentsClient.upcoming)
    language = request.app.state.context.language
    return {"appointments": [view(appointment, language) for appointment in found]}


@router.post("/notices/{key}/dismiss", status_code=204)
def dismiss(key: str, request: Request) -> Response:
    board = _board(request)
    if board is None or not board.dismiss(key):
        raise Refusal(404, "not_found", _("This notice is no longer shown."))
    return Response(status_code=204)


@router.post("/{appointment_id}/{action}")
async def answer(appointment_id: int, action: str, request: Request) -> dict:
    if action not in ACTIONS:
        raise Refusal(404, "not_found", _("This appointment cannot be found."))
    changed = await _ask(request, AppointmentsClient.answer, appointment_id, action)
    board = _board(request)
    if board is not None:
        board.update(changed)  # every place on the page shows it at once
    return view(changed, request.app.state.context.language)
