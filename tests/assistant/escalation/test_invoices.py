"""The assistant's invoices: its client reads the customer's invoices and PDFs from the
real portal with this computer's key (another's invoice is not found) and disputes a
charge (stored once, with the customer's words; another's session is not found); the
Experts tab's card shows number, date and total as the one formatting helper writes them,
and where a dispute stands, in German and English; every text of it exists in German
with its placeholders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import assistant
from agent_portal.billing.models import BillingDispute
from agent_portal.invoices import service
from assistant.escalation.invoices import DisputeRefused, InvoiceNotFound, InvoicesClient
from assistant.i18n import translator
from assistant.local_api.invoices_api import view
from isp_common import formatting
from isp_common.invoices_wire import InvoiceKind, InvoiceSummary
from tests.agent_portal.invoices.sessions import ISSUER, ended_session, pdf_text, people
from tests.agent_portal.invoices.test_device_api import _device
from tests.support.translations import placeholders_lost, texts_in, without_german

ASSISTANT = Path(assistant.__file__).parent
ASSISTANT_PO = ASSISTANT / "locale/de/LC_MESSAGES/assistant.po"
ISSUED = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)


def summary(**fields) -> InvoiceSummary:
    values = {
        "id": 4,
        "number": "2030-000012",
        "kind": InvoiceKind.invoice,
        "issued_at": ISSUED,
        "expert_name": "Mira Keller",
        "currency": "CHF",
        "total": 4_550,
        "file_name": "invoice-2030-000012.pdf",
        **fields,
    }
    return InvoiceSummary(**values)


def shown(invoice: InvoiceSummary, language: str) -> dict:
    token = translator.language.set(language)
    try:
        return view(invoice, language)
    finally:
        translator.language.reset(token)


def test_the_card_in_both_languages():
    german = shown(summary(), "de")
    assert german["title"] == "Rechnung 2030-000012"
    assert german["total"] == formatting.money(4_550, "CHF", locale="de")
    assert german["total_label"] == "Gesamtbetrag"
    assert german["day"] == formatting.day(ISSUED, locale="de", zone=None)
    english = shown(summary(kind=InvoiceKind.correction, total=400), "en")
    assert english["title"] == "Correcting invoice 2030-000012"
    assert english["total_label"] == "Refunded"
    assert english["total"] == formatting.money(400, "CHF", locale="en")
    assert english["file_name"] == "invoice-2030-000012.pdf"


def test_the_card_offers_a_dispute_of_a_charge_and_says_where_it_stands():
    offered = shown(summary(session_id=9), "en")
    assert (offered["session_id"], offered["dispute_text"]) == (9, None)
    assert shown(summary(session_id=9, dispute="open"), "de")["dispute_text"] == (
        "Sie haben diese Abrechnung beanstandet. Ihr Anbieter prüft sie."
    )
    assert shown(summary(session_id=9, dispute="refunded"), "en")["dispute_text"] == (
        "You disputed this charge: it was refunded."
    )
    assert shown(summary(session_id=9, dispute="rejected"), "en")["dispute_text"] == (
        "You disputed this charge: your provider kept it."
    )
    # A correcting invoice is a refund's outcome, not a charge: nothing to dispute on it.
    correction = shown(summary(kind=InvoiceKind.correction, session_id=9, dispute="refunded"), "en")
    assert (correction["session_id"], correction["dispute_text"]) == (None, None)


def test_every_invoice_text_of_the_assistant_has_its_german():
    texts = texts_in(
        ASSISTANT / "local_api" / "invoices_api.py",
        ASSISTANT / "escalation" / "invoices.py",
        ASSISTANT / "ui" / "experts_texts.py",
    )
    assert ("Your invoices for expert help",) in texts
    assert without_german(texts, ASSISTANT_PO) == []
    assert placeholders_lost(texts, ASSISTANT_PO, style="format") == []


@pytest.fixture
def customer_key(portal, db_session, tmp_path):
    who = people(db_session, language="de")
    ended_session(db_session, who, amount=2500, tip=300)
    service.issue_due(
        db_session=db_session, now=datetime(2026, 12, 1, 15, tzinfo=UTC), issuer=ISSUER
    )
    db_session.commit()
    _device_id, key = _device(db_session, who.customer_id, tmp_path)
    return portal.url, key


def test_the_client_reads_invoices_and_pdfs_from_the_portal(customer_key):
    url, key = customer_key
    client = InvoicesClient(url, key)
    try:
        (invoice,) = client.list()
        assert (invoice.number, invoice.total, invoice.expert_name) == (
            "2026-000001",
            2800,
            "Anna Berger",
        )
        name, data = client.pdf(invoice.id)
        assert name == "invoice-2026-000001.pdf"
        assert "28,00\xa0CHF" in pdf_text(data)
        with pytest.raises(InvoiceNotFound):
            client.pdf(invoice.id + 1000)
    finally:
        client.close()


def test_the_client_disputes_a_charge_once_and_the_list_says_it_is_open(customer_key, db_session):
    url, key = customer_key
    client = InvoicesClient(url, key)
    try:
        (invoice,) = client.list()
        assert invoice.session_id is not None and invoice.dispute is None
        with pytest.raises(DisputeRefused):
            client.dispute(invoice.session_id, " ")  # only a space: no reason
        raised = client.dispute(invoice.session_id, "We spoke for 20 minutes, not 40.")
        assert (raised.session_id, raised.status) == (invoice.session_id, "open")
        again = client.dispute(invoice.session_id, "Another reason")  # the first one stands
        assert again.raised_at == raised.raised_at
        assert client.list()[0].dispute == "open"
        with pytest.raises(InvoiceNotFound):
            client.dispute(invoice.session_id + 1000, "Not mine")
    finally:
        client.close()
    (stored,) = db_session.query(BillingDispute).all()
    assert stored.reason == "We spoke for 20 minutes, not 40."
