"""After a paid session with a charge the job's round issues the customer's invoice and the
expert's credit note, once, each with its PDF mailed through the outbox; the PDFs show the
ledger's figures in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from agent_portal.invoices import service
from agent_portal.invoices.models import Invoice
from agent_portal.ledger import service as ledger
from agent_portal.mail.models import OutboundEmail
from tests.agent_portal.invoices.sessions import ISSUER, ended_session, pdf_text, people

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def test_an_ended_session_gets_an_invoice_and_a_credit_note_once(db_session):
    who = people(db_session)
    paid = ended_session(db_session, who, amount=1500, waived=501, tip=300)
    issued = service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    db_session.commit()
    invoice, credit_note = issued
    assert (invoice.kind, invoice.number) == ("invoice", "2026-000001")
    assert (credit_note.kind, credit_note.number) == ("credit_note", "2026-000001")
    # 999 charged + 300 tip: tax 8.1 % and fee 20 % as the ledger split them.
    assert invoice.total == 1299
    assert invoice.tax == 81 + 24 and invoice.fee == 200 + 60
    assert credit_note.total == 1299 - 260 - 105
    assert (
        ledger.accounts.balance(
            db_session=db_session, code=f"expert:{who.expert_staff_id}:earnings:CHF"
        )
        == -credit_note.total
    )
    # A second round finds nothing more to issue.
    assert service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER) == []
    mails = db_session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [mail.to_address for mail in mails] == [
        "k-1001@example.ch",
        "anna.berger@alpnet.example",
    ]
    assert mails[0].subject == "Ihre Rechnung 2026-000001"
    assert mails[0].attachment_name == "invoice-2026-000001.pdf"
    assert mails[0].attachment == invoice.pdf
    assert mails[1].attachment_name == "credit-note-2026-000001.pdf"
    assert paid.id == invoice.paid_session_id


def test_the_invoice_pdf_shows_the_totals_in_german(db_session):
    who = people(db_session, language="de")
    ended_session(db_session, who, amount=1500, waived=501, tip=300)
    invoice, credit_note = service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    text = pdf_text(invoice.pdf)
    for expected in (
        "Rechnung",
        "2026-000001",
        "Alpnet AG",
        "Bahnhofstrasse 1",
        "8001 Zürich",
        "Steuernummer: CHE-123.456.789 MWST",
        "Anna Berger",
        "01.12.2026",
        "Minuten\n10\n",
        "1,50\xa0CHF pro Minute, sekundengenau abgerechnet",
        "15,00\xa0CHF",
        "-5,01\xa0CHF",
        "3,00\xa0CHF",
        "12,99\xa0CHF",
        "Enthaltene Steuer (8,1\xa0%)",
        "1,05\xa0CHF",
    ):
        assert expected in text, expected
    credit = pdf_text(credit_note.pdf)
    assert "Gutschrift" in credit and "Plattformgebühr (20\xa0%)" in credit
    assert "9,34\xa0CHF" in credit  # 1299 - 260 fee - 105 tax


def test_the_invoice_pdf_shows_the_totals_in_english(db_session):
    who = people(db_session, language="en", expert_language="en")
    ended_session(db_session, who, amount=1500, waived=501, tip=300)
    invoice, credit_note = service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    text = pdf_text(invoice.pdf)
    for expected in (
        "Invoice",
        "2026-000001",
        "Tax number: CHE-123.456.789 MWST",
        "Dec 1, 2026",
        "CHF\xa01.50 per minute, billed by the second",
        "CHF\xa015.00",
        "-CHF\xa05.01",
        "CHF\xa012.99",
        "Included tax (8.1%)",
        "CHF\xa01.05",
    ):
        assert expected in text, expected
    credit = pdf_text(credit_note.pdf)
    assert "Credit note" in credit and "Your earnings" in credit and "CHF\xa09.34" in credit


def test_sessions_without_a_charge_or_not_ended_get_no_invoice(db_session):
    who = people(db_session)
    ended_session(db_session, who, amount=500, waived=500)  # all waived: no capture
    running = ended_session(db_session, who, amount=300)
    running.status = "running"
    db_session.commit()
    assert service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER) == []


def test_a_refund_gets_a_correcting_invoice_and_a_correcting_credit_note(db_session):
    """The customer's correction in the invoice series; the expert's, in the credit note
    series, says what the refund takes back from the expert's earnings, to the cent."""
    who = people(db_session)
    paid = ended_session(db_session, who, amount=1000)
    ended_session(db_session, who, amount=2000)
    service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    db_session.commit()
    ledger.refund(
        db_session=db_session,
        idempotency_key="refund-1",
        posted_id=paid.capture_transfer_id,
        amount=400,
        reason="Verbindung abgebrochen",
        actor_staff_id=who.expert_staff_id,
        now=NOW,
    )
    db_session.commit()
    correction, expert_correction = service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    assert (correction.kind, correction.number, correction.total) == (
        "correction",
        "2026-000003",
        400,
    )
    first = db_session.scalar(
        select(Invoice).where(Invoice.paid_session_id == paid.id, Invoice.kind == "invoice")
    )
    assert correction.corrects_id == first.id
    text = pdf_text(correction.pdf)
    assert "Rechnungskorrektur (Gutschrift)" in text
    assert first.number in text and "4,00\xa0CHF" in text and "Verbindung abgebrochen" in text

    # The expert's: 400 refunded, of it the expert's share, the fee and the tax given back.
    credit_note = db_session.scalar(
        select(Invoice).where(Invoice.paid_session_id == paid.id, Invoice.kind == "credit_note")
    )
    assert (expert_correction.series, expert_correction.number) == ("credit_note", "2026-000003")
    assert expert_correction.corrects_id == credit_note.id
    assert expert_correction.amount == 400
    assert expert_correction.total + expert_correction.fee + expert_correction.tax == 400
    assert 0 < expert_correction.total < 400
    earnings = f"expert:{who.expert_staff_id}:earnings:CHF"
    assert ledger.accounts.balance(db_session=db_session, code=earnings) == -(
        credit_note.total - expert_correction.total
    ) - db_session.scalar(
        select(Invoice.total).where(
            Invoice.kind == "credit_note", Invoice.paid_session_id != paid.id
        )
    )
    text = pdf_text(expert_correction.pdf)
    assert "Gutschriftskorrektur" in text and credit_note.number in text
    assert "Von Ihrem Verdienst abgezogen" in text and "Verbindung abgebrochen" in text
    mail = db_session.get(OutboundEmail, expert_correction.email_id)
    assert mail.to_address == "anna.berger@alpnet.example"
    assert mail.subject == "Gutschriftskorrektur 2026-000003"
    assert mail.attachment_name == "credit-correction-2026-000003.pdf"
    assert service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER) == []
