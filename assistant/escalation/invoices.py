"""The assistant's client for the customer's invoices of paid expert sessions: the list
and each PDF. Requests are signed with this computer's key (`isp_common.invoices_wire`).

    client = InvoicesClient(server_url, device_key)
    client.list()        # [InvoiceSummary], newest first
    client.pdf(7)        # (file name, the PDF's bytes)
    client.dispute(12, "I was charged for 40 minutes, we spoke for 20.")  # DisputeOut

A server that cannot be reached, or has no invoices (an older one: 404 on the list),
raises `InvoicesUnavailable`; an invoice (or a session) that is not this customer's
`InvoiceNotFound`; a dispute the server refuses (no reason) `DisputeRefused`.
"""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from assistant.premium.client import DeviceSignature
from assistant.tls import portal_tls
from isp_common.invoices_wire import (
    INVOICES_PATH,
    DisputeIn,
    DisputeOut,
    InvoiceList,
    InvoiceSummary,
    dispute_path,
    invoice_pdf_path,
)


class InvoicesUnavailable(Exception):
    pass


class InvoiceNotFound(Exception):
    pass


class DisputeRefused(Exception):
    pass


class InvoicesClient:
    def __init__(self, base_url: str, device_key, transport=None, *, timeout: float = 10.0):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            auth=DeviceSignature(device_key),
        )

    def list(self) -> list[InvoiceSummary]:
        response = self._get(INVOICES_PATH)
        try:
            return InvoiceList.model_validate_json(response.content).invoices
        except ValidationError as err:
            raise InvoicesUnavailable("unreadable answer") from err

    def pdf(self, invoice_id: int) -> tuple[str, bytes]:
        response = self._get(invoice_pdf_path(int(invoice_id)), found=True)
        if not response.content.startswith(b"%PDF-"):
            raise InvoicesUnavailable("the answer is no PDF")
        name = f"invoice-{int(invoice_id)}.pdf"
        disposition = response.headers.get("content-disposition", "")
        if 'filename="' in disposition:
            name = disposition.split('filename="', 1)[1].split('"', 1)[0] or name
        return name, response.content

    def dispute(self, session_id: int, reason: str) -> DisputeOut:
        """Disputes what the session cost; a session disputed before answers that dispute."""
        body = DisputeIn(reason=reason).model_dump(mode="json")
        try:
            response = self._http.post(dispute_path(session_id), json=body)
        except httpx.HTTPError as err:
            raise InvoicesUnavailable(str(err)) from err
        if response.status_code == 404:
            raise InvoiceNotFound()
        if response.status_code in (400, 422):
            raise DisputeRefused(response.text)
        if response.status_code != 200:
            raise InvoicesUnavailable(f"HTTP {response.status_code}")
        try:
            return DisputeOut.model_validate_json(response.content)
        except ValidationError as err:
            raise InvoicesUnavailable("unreadable answer") from err

    def _get(self, path: str, *, found: bool = False) -> httpx.Response:
        try:
            response = self._http.get(path)
        except httpx.HTTPError as err:
            raise InvoicesUnavailable(str(err)) from err
        if found and response.status_code == 404:
            raise InvoiceNotFound()
        if response.status_code != 200:
            raise InvoicesUnavailable(f"HTTP {response.status_code}")
        return response

    def close(self) -> None:
        self._http.close()
