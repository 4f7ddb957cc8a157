"""The invoices' JSON API for the assistant (`isp_common.invoices_wire`):

- `GET /api/v1/invoices` (a linked device): its customer's invoices and corrections,
  newest first, each with the session it bills and where that session's dispute stands;
- `GET /api/v1/invoices/{invoice_id}/pdf` (a linked device, its own customer's invoice
  only; another's reads 404): the PDF as it was sent.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import func, select

from agent_portal.api_errors import refusals
from agent_portal.billing.models import BillingDispute
from agent_portal.deps import SessionDep
from agent_portal.devices.deps import CurrentDevice, require_device
from agent_portal.experts.models import ExpertProfile
from agent_portal.invoices import service
from agent_portal.invoices.errors import InvoiceNotFound
from agent_portal.paid_sessions.models import PaidSession
from agent_portal.params import Id
from isp_common.invoices_wire import INVOICES_PATH, InvoiceList, InvoiceSummary

router = APIRouter(tags=["invoices"])


@router.get(INVOICES_PATH, response_model=InvoiceList, dependencies=[require_device()])
def customer_invoices(db_session: SessionDep, device: CurrentDevice) -> InvoiceList:
    """The customer's invoices and correcting invoices, newest first."""
    found = service.for_customer(db_session=db_session, customer_id=device.customer_id)
    session_ids = {invoice.paid_session_id for invoice in found}
    names = dict(
        db_session.execute(
            select(PaidSession.id, ExpertProfile.display_name)
            .join(ExpertProfile, ExpertProfile.id == PaidSession.expert_profile_id)
            .where(PaidSession.id.in_(session_ids))
        ).all()
    )
    disputes = dict(
        db_session.execute(
            select(
                BillingDispute.paid_session_id,
                func.coalesce(BillingDispute.resolution, "open"),
            ).where(BillingDispute.paid_session_id.in_(session_ids))
        ).all()
    )
    return InvoiceList(
        invoices=[
            InvoiceSummary(
                id=invoice.id,
                number=invoice.number,
                kind=invoice.kind,
                issued_at=invoice.issued_at,
                expert_name=names.get(invoice.paid_session_id, ""),
                currency=invoice.currency,
                total=invoice.total,
                file_name=invoice.file_name,
                session_id=invoice.paid_session_id,
                dispute=disputes.get(invoice.paid_session_id),
            )
            for invoice in found
        ]
    )


@router.get(
    INVOICES_PATH + "/{invoice_id}/pdf",
    response_class=Response,
    dependencies=[require_device()],
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The invoice as sent"},
        **refusals({404: "No such invoice of this customer"}),
    },
)
def invoice_pdf(db_session: SessionDep, device: CurrentDevice, invoice_id: Id) -> Response:
    found = service.customer_document(
        db_session=db_session, customer_id=device.customer_id, invoice_id=invoice_id
    )
    if found is None:
        raise InvoiceNotFound()
    return Response(
        found.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{found.file_name}"',
            "Cache-Control": "private, no-store",
        },
    )
