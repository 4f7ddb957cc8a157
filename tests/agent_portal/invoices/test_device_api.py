"""The assistant's invoices API: a linked device lists its customer's invoices (newest
first, credit notes of experts never among them) and downloads each PDF as it was mailed;
another customer's invoice reads 404, an unsigned request 401."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.invoices import service
from assistant.premium.device_keys import DeviceKey
from isp_common.invoices_wire import INVOICES_PATH, InvoiceList, invoice_pdf_path
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.invoices.sessions import ISSUER, ended_session, pdf_text, people
from tests.support.portal_data import add_customer

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def _device(db_session, customer_id: int, key_dir) -> tuple[str, DeviceKey]:
    key = DeviceKey.load_or_create(key_dir / f"key-{customer_id}")
    db_session.add(
        Device(
            id=key.device_id,
            customer_id=customer_id,
            name="Laptop",
            platform="linux",
            public_key=key.public_key_base64(),
            linked_at=utcnow(),
        )
    )
    db_session.commit()
    return key.device_id, key


def _signed(http, key: DeviceKey, device_id: str, target: str):
    headers = device_request_headers(
        sign=key.sign,
        device_id=device_id,
        method="GET",
        target=target.encode(),
        body=b"",
        timestamp=int(time.time()),
    )
    return http.get(target, headers=headers)


@pytest.fixture
def invoiced(db_session, tmp_path):
    who = people(db_session, language="en")
    ended_session(db_session, who, amount=1200, tip=200)
    ended_session(db_session, who, amount=800, ended_at=datetime(2026, 12, 1, 16, tzinfo=UTC))
    service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    db_session.commit()
    return who, _device(db_session, who.customer_id, tmp_path)


def test_a_device_lists_and_downloads_its_customers_invoices(http, invoiced):
    _who, (device_id, key) = invoiced
    answer = _signed(http, key, device_id, INVOICES_PATH)
    assert answer.status_code == 200
    listed = InvoiceList.model_validate(answer.json()).invoices
    assert [entry.number for entry in listed] == ["2026-000002", "2026-000001"]
    assert {entry.kind for entry in listed} == {"invoice"}
    assert listed[1].total == 1400 and listed[1].expert_name == "Anna Berger"
    pdf = _signed(http, key, device_id, invoice_pdf_path(listed[1].id))
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="invoice-2026-000001.pdf"' in pdf.headers["content-disposition"]
    text = pdf_text(pdf.content)
    assert "Invoice" in text and "CHF\xa014.00" in text


def test_another_customers_invoice_and_unsigned_requests_are_refused(
    http, invoiced, db_session, tmp_path
):
    _who, (device_id, _key) = invoiced
    stranger = add_customer(db_session, "K-2002", name="Max Fremd", email="max@example.ch")
    other_device, other_key = _device(db_session, stranger.id, tmp_path)
    assert _signed(http, other_key, other_device, INVOICES_PATH).json() == {"invoices": []}
    mine = db_session.scalars(service.select(service.Invoice.id)).first()
    refused = _signed(http, other_key, other_device, invoice_pdf_path(mine))
    assert refused.status_code == 404 and refused.json()["code"] == "invoice_not_found"
    assert http.get(INVOICES_PATH).status_code == 401
