"""Issuing invoices, credit notes and corrections, and reading them back.

`issue_due` (the job's round) finds ended paid sessions with a capture and no invoice yet,
and issues for each the customer's invoice and the expert's credit note; then refunds of
those sessions with no correction yet, for each the customer's correcting invoice and the
expert's correcting credit note (what the refund takes back from the expert's earnings).
Each document takes its number in the caller's transaction (`numbering`), is rendered once
and stored with its PDF, and its e-mail waits in the outbox with the PDF attached. Nothing
here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Customer
from agent_portal.experts.models import ExpertProfile
from agent_portal.invoices import documents, numbering, texts
from agent_portal.invoices.figures import Issuer, split_of
from agent_portal.invoices.models import Invoice
from agent_portal.ledger.models import Transfer
from agent_portal.mail import service as outbox
from agent_portal.paid_sessions.models import PaidSession
from isp_common import formatting
from isp_common.i18n import pick_language

PDF = "application/pdf"


def issue_due(
    *, db_session: Session, now: datetime, issuer: Issuer, batch: int = 50
) -> list[Invoice]:
    """Issues what is due: invoices and credit notes of ended sessions, then corrections."""
    issued: list[Invoice] = []
    invoiced = select(Invoice.paid_session_id).where(Invoice.kind == "invoice")
    due = db_session.scalars(
        select(PaidSession)
        .where(
            PaidSession.status == "ended",
            PaidSession.capture_transfer_id.is_not(None),
            PaidSession.id.not_in(invoiced),
        )
        .order_by(PaidSession.ended_at, PaidSession.id)
        .limit(batch)
    ).all()
    for paid in due:
        issued += issue_for_session(db_session=db_session, paid=paid, now=now, issuer=issuer)
    for series, issue in (("invoice", issue_correction), ("credit_note", issue_credit_correction)):
        for refund, paid in _uncorrected_refunds(db_session, series, batch):
            correction = issue(
                db_session=db_session, paid=paid, refund=refund, now=now, issuer=issuer
            )
            if correction is not None:
                issued.append(correction)
    return issued


def _uncorrected_refunds(db_session: Session, series: str, batch: int):
    """Refunds of paid sessions with no correction in the series yet, oldest first."""
    corrected = select(Invoice.refund_transfer_id).where(
        Invoice.series == series, Invoice.refund_transfer_id.is_not(None)
    )
    return db_session.execute(
        select(Transfer, PaidSession)
        .join(
            PaidSession,
            or_(
                PaidSession.capture_transfer_id == Transfer.reverses_id,
                PaidSession.tip_transfer_id == Transfer.reverses_id,
            ),
        )
        .where(Transfer.kind == "refund", Transfer.id.not_in(corrected))
        .order_by(Transfer.id)
        .limit(batch)
    ).all()


def issue_for_session(
    *, db_session: Session, paid: PaidSession, now: datetime, issuer: Issuer
) -> list[Invoice]:
    """The customer's invoice and the expert's credit note of one ended session."""
    customer = db_session.get(Customer, paid.customer_id)
    profile = db_session.get(ExpertProfile, paid.expert_profile_id)
    expert = db_session.get(StaffMember, paid.expert_staff_id)
    split = split_of(db_session, paid.capture_transfer_id) + split_of(
        db_session, paid.tip_transfer_id
    )
    figures = {
        "paid_session_id": paid.id,
        "customer_id": paid.customer_id,
        "expert_staff_id": paid.expert_staff_id,
        "currency": paid.currency,
        "amount": paid.amount,
        "waived": paid.waived,
        "tip": paid.tip,
        "fee": split.fee,
        "tax": split.tax,
        "issued_at": now,
    }
    invoice = _new(
        db_session,
        series="invoice",
        kind="invoice",
        source_key=f"session:{paid.id}:invoice",
        language=pick_language(customer.language),
        total=paid.charged + paid.tip,
        issuer=issuer,
        **figures,
    )
    credit_note = _new(
        db_session,
        series="credit_note",
        kind="credit_note",
        source_key=f"session:{paid.id}:credit_note",
        language=pick_language(profile.text_language if profile else None),
        total=split.expert,
        issuer=issuer,
        **figures,
    )
    customer_lines = [customer.name or customer.account_number]
    expert_name = profile.display_name if profile else expert.display_name
    invoice.pdf = documents.render(
        invoice,
        paid=paid,
        issuer=issuer,
        recipient=customer_lines,
        expert_name=expert_name,
        customer_number=customer.account_number,
    )
    credit_note.pdf = documents.render(
        credit_note,
        paid=paid,
        issuer=issuer,
        recipient=[expert_name],
        expert_name=expert_name,
        customer_number=customer.account_number,
    )
    _mail(
        db_session,
        invoice,
        to=customer.email,
        name=customer.name or "",
        expert=expert_name,
        paid=paid,
        issuer=issuer,
        now=now,
    )
    _mail(
        db_session,
        credit_note,
        to=expert.email,
        name=expert_name,
        expert=expert_name,
        paid=paid,
        issuer=issuer,
        now=now,
    )
    db_session.flush()
    return [invoice, credit_note]


def issue_correction(
    *, db_session: Session, paid: PaidSession, refund: Transfer, now: datetime, issuer: Issuer
) -> Invoice | None:
    """The customer's correcting invoice for a refund (the refunded amount and the tax in
    it); None while the session's invoice is not issued yet."""
    return _correction(db_session, "invoice", paid=paid, refund=refund, now=now, issuer=issuer)


def issue_credit_correction(
    *, db_session: Session, paid: PaidSession, refund: Transfer, now: datetime, issuer: Issuer
) -> Invoice | None:
    """The expert's correcting credit note for a refund: what it takes back from the
    expert's earnings (the ledger's reversal of the expert's share), with the fee and tax
    given back beside it. None while the session's credit note is not issued yet."""
    return _correction(db_session, "credit_note", paid=paid, refund=refund, now=now, issuer=issuer)


def _correction(db_session: Session, series: str, *, paid, refund, now, issuer):
    """A correction in the series of the document it corrects, for its reader."""
    original = db_session.scalar(
        select(Invoice).where(Invoice.paid_session_id == paid.id, Invoice.kind == series)
    )
    if original is None:
        return None  # the next round issues both in order
    customer = db_session.get(Customer, paid.customer_id)
    profile = db_session.get(ExpertProfile, paid.expert_profile_id)
    expert = db_session.get(StaffMember, paid.expert_staff_id)
    expert_name = profile.display_name if profile else expert.display_name
    split = split_of(db_session, refund.id, debit=True)
    for_expert = series == "credit_note"
    correction = _new(
        db_session,
        series=series,
        kind="correction",
        source_key=f"refund:{refund.id}:credit_note" if for_expert else f"refund:{refund.id}",
        language=original.language,
        paid_session_id=paid.id,
        customer_id=paid.customer_id,
        expert_staff_id=paid.expert_staff_id,
        corrects_id=original.id,
        refund_transfer_id=refund.id,
        currency=refund.currency,
        amount=refund.amount,
        waived=0,
        tip=0,
        fee=split.fee,
        tax=split.tax,
        total=split.expert if for_expert else refund.amount,
        issued_at=now,
        issuer=issuer,
    )
    reader = expert_name if for_expert else customer.name or customer.account_number
    correction.pdf = documents.render(
        correction,
        paid=paid,
        issuer=issuer,
        recipient=[reader],
        expert_name=expert_name,
        customer_number=customer.account_number,
        corrected=original,
        reason=refund.reason,
    )
    _mail(
        db_session,
        correction,
        to=expert.email if for_expert else customer.email,
        name=expert_name if for_expert else customer.name or "",
        expert=expert_name,
        paid=paid,
        issuer=issuer,
        now=now,
        corrected=original,
    )
    db_session.flush()
    return correction


def _new(db_session: Session, *, series: str, issuer: Issuer, issued_at: datetime, **fields):
    year = issued_at.astimezone(issuer.zone).year
    document = Invoice(
        series=series,
        number=numbering.take(db_session=db_session, series=series, year=year),
        issued_at=issued_at,
        pdf=b"",
        **fields,
    )
    db_session.add(document)
    db_session.flush()
    return document


def _mail(db_session, document: Invoice, *, to, name, expert, paid, issuer, now, corrected=None):
    if not to:
        return
    language = document.language
    _ = texts.gettext_for(language)
    subject, body = {
        "invoice": (texts.INVOICE_SUBJECT, texts.INVOICE_BODY),
        "credit_note": (texts.CREDIT_NOTE_SUBJECT, texts.CREDIT_NOTE_BODY),
        "correction": (texts.CORRECTION_SUBJECT, texts.CORRECTION_BODY),
        "credit_correction": (texts.CREDIT_CORRECTION_SUBJECT, texts.CREDIT_CORRECTION_BODY),
    }[document.document_type]
    words = {
        "number": document.number,
        "name": name,
        "expert": expert,
        "day": formatting.day(paid.ended_at or now, locale=language, zone=issuer.zone),
        "total": formatting.money(document.total, document.currency, locale=language),
        "isp": issuer.name,
        "corrected": corrected.number if corrected else "",
        "refunded": formatting.money(document.amount, document.currency, locale=language),
    }
    email = outbox.enqueue(
        db_session=db_session,
        to_address=to,
        subject=_(subject) % words,
        body=_(body) % words,
        now=now,
        from_name=issuer.name,
        attachment=outbox.Attachment(document.file_name, PDF, document.pdf),
    )
    document.email_id = email.id


def for_customer(*, db_session: Session, customer_id: int) -> list[Invoice]:
    """The customer's invoices and corrections, newest first."""
    return list(
        db_session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == customer_id, Invoice.series == "invoice")
            .order_by(Invoice.issued_at.desc(), Invoice.id.desc())
        )
    )


def customer_document(*, db_session: Session, customer_id: int, invoice_id: int) -> Invoice | None:
    """One of the customer's invoices; None for another's or a credit note."""
    found = db_session.get(Invoice, invoice_id)
    if found is None or found.customer_id != customer_id or found.series != "invoice":
        return None
    return found
