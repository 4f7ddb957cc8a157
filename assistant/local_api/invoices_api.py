"""The local API of the invoices on the Experts tab (signed-in customers only; the server
is asked with this computer's key through `assistant.escalation.invoices`):

    GET  /api/invoices                {"invoices": [view, ...]}, newest first
    GET  /api/invoices/{id}/pdf       the PDF as a download (a browser's)
    POST /api/invoices/{id}/save      the PDF saved to the Downloads folder: {"path": ...}
    POST /api/invoices/sessions/{session_id}/dispute  {"reason": ...}: the charge of that
                                      session disputed; {"dispute": ..., "text": ...}

Each view is written for the page in the assistant's language and this computer's zone
(`isp_common.formatting`). A refusal answers `{"error": the customer's sentence, "code"}`
as the Experts tab's do.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request, Response

from assistant.escalation.invoices import (
    DisputeRefused,
    InvoiceNotFound,
    InvoicesClient,
    InvoicesUnavailable,
)
from assistant.i18n import _
from assistant.local_api.experts_api import Refusal
from isp_common import formatting
from isp_common.file_names import safe_file_name
from isp_common.invoices_wire import (
    DISPUTE_REASON_LIMIT,
    DisputeStatus,
    InvoiceKind,
    InvoiceSummary,
)

router = APIRouter(prefix="/api/invoices")


def _client(request: Request) -> InvoicesClient:
    premium = request.app.state.context.premium
    if not premium.service.status().linked or not premium.server_url:
        raise Refusal(409, "not_linked", _("Sign in to see your invoices."))
    return InvoicesClient(premium.server_url, premium.service.device_key)


async def _ask(request: Request, call, *args):
    client = _client(request)
    try:
        return await asyncio.to_thread(call, client, *args)
    except InvoiceNotFound as err:
        raise Refusal(404, "not_found", _("This invoice cannot be found.")) from err
    except DisputeRefused as err:
        raise _no_reason() from err
    except InvoicesUnavailable as err:
        raise Refusal(
            503, "unavailable", _("The invoices cannot be reached right now. Try again later.")
        ) from err
    finally:
        client.close()


def _no_reason() -> Refusal:
    return Refusal(400, "dispute_reason", _("Please say what is wrong with this charge."))


def dispute_text(status: DisputeStatus | None) -> str | None:
    """Where the customer's dispute of a charge stands, in their words."""
    return {
        None: None,
        "open": _("You have disputed this charge. Your provider is checking it."),
        "refunded": _("You disputed this charge: it was refunded."),
        "rejected": _("You disputed this charge: your provider kept it."),
    }[status]


def view(invoice: InvoiceSummary, language: str) -> dict:
    correction = invoice.kind is InvoiceKind.correction
    return {
        "id": invoice.id,
        "number": invoice.number,
        "title": (_("Correcting invoice {number}") if correction else _("Invoice {number}")).format(
            number=invoice.number
        ),
        "expert": invoice.expert_name,
        "day": formatting.day(invoice.issued_at, locale=language, zone=None),
        "issued_at": invoice.issued_at.isoformat(),
        "total": formatting.money(invoice.total, invoice.currency, locale=language),
        "total_label": _("Refunded") if correction else _("Total amount"),
        "file_name": safe_file_name(invoice.file_name, "invoice.pdf"),
        # A correcting invoice is the outcome of a dispute or refund, not a charge to dispute.
        "session_id": None if correction else invoice.session_id,
        "dispute_text": None if correction else dispute_text(invoice.dispute),
    }


@router.get("")
async def invoices(request: Request) -> dict:
    found = await _ask(request, InvoicesClient.list)
    language = request.app.state.context.language
    return {"invoices": [view(invoice, language) for invoice in found]}


@router.get("/{invoice_id}/pdf")
async def invoice_pdf(invoice_id: int, request: Request) -> Response:
    name, data = await _ask(request, InvoicesClient.pdf, invoice_id)
    name = safe_file_name(name, "invoice.pdf")
    return Response(
        data,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/{invoice_id}/save")
async def save_invoice(invoice_id: int, request: Request) -> dict:
    """The desktop window has no download bar: the PDF goes to the Downloads folder."""
    from assistant import export

    name, data = await _ask(request, InvoicesClient.pdf, invoice_id)
    folder = request.app.state.context.downloads_dir
    try:
        path = await asyncio.to_thread(export.save_file, folder, name, data)
    except OSError as err:
        raise HTTPException(500, f"the file could not be saved: {err}") from err
    return {"path": str(path)}


@router.post("/sessions/{session_id}/dispute")
async def dispute(session_id: int, request: Request) -> dict:
    """The customer disputes what a session cost, in their own words; an admin decides."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    reason = body.get("reason") if isinstance(body, dict) else None
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise _no_reason()
    if len(reason) > DISPUTE_REASON_LIMIT:
        limit = formatting.number(DISPUTE_REASON_LIMIT, locale=request.app.state.context.language)
        text = _("Please say it in at most {limit} characters.").format(limit=limit)
        raise Refusal(400, "dispute_reason", text)
    raised = await _ask(request, InvoicesClient.dispute, session_id, reason)
    return {"dispute": raised.status, "text": dispute_text(raised.status)}
