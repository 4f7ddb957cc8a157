"""What the invoices' API refuses.

InvoiceError            400 invoice_refused
└── InvoiceNotFound     404 invoice_not_found: none of this customer's
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError
from isp_common.i18n import N_


class InvoiceError(ApiError):
    status_code = 400
    code = "invoice_refused"
    template = N_("The invoice cannot be given out.")


class InvoiceNotFound(InvoiceError):
    status_code = 404
    code = "invoice_not_found"
    template = N_("There is no such invoice of yours.")
