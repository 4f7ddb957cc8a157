"""The three documents worded and laid out: a customer's invoice, an expert's credit note
and a customer's correcting invoice after a refund. Figures come from the stored document
row, words from `texts`, every number and amount through `isp_common.formatting`."""

from __future__ import annotations

from decimal import Decimal

from agent_portal.invoices import pdf, texts
from agent_portal.invoices.figures import Issuer
from agent_portal.invoices.models import Invoice
from agent_portal.paid_sessions.models import PaidSession
from isp_common import formatting


def price_rule(paid: PaidSession, language: str) -> str:
    _ = texts.gettext_for(language)
    price = formatting.money(paid.price, paid.currency, locale=language)
    if paid.terms == "fixed":
        return _(texts.PRICE_FIXED) % {"price": price}
    if paid.billing_rule == "started_minute":
        return _(texts.PRICE_PER_STARTED_MINUTE) % {"price": price}
    return _(texts.PRICE_PER_SECOND) % {"price": price}


def minutes(paid: PaidSession, language: str) -> str:
    return formatting.decimal(Decimal(paid.billed_seconds) / 60, locale=language, digits=1)


def issuer_lines(issuer: Issuer, language: str) -> list[str]:
    _ = texts.gettext_for(language)
    lines = [issuer.name, *issuer.address_lines()]
    if issuer.tax_id:
        lines.append(_(texts.TAX_NUMBER) % {"tax_id": issuer.tax_id})
    return lines


def render(
    document: Invoice,
    *,
    paid: PaidSession,
    issuer: Issuer,
    recipient: list[str],
    expert_name: str,
    customer_number: str,
    corrected: Invoice | None = None,
    reason: str | None = None,
) -> bytes:
    language = document.language
    _ = texts.gettext_for(language)

    def money(cents: int) -> str:
        return formatting.money(cents, document.currency, locale=language)

    tax_rate = formatting.percent(issuer.tax_percent, locale=language)
    fee_rate = formatting.percent(issuer.fee_percent, locale=language)
    day = formatting.day(document.issued_at, locale=language, zone=issuer.zone)
    session_day = formatting.day(
        paid.ended_at or paid.created_at, locale=language, zone=issuer.zone
    )
    facts = [pdf.Row(_(texts.NUMBER), document.number), pdf.Row(_(texts.DATE), day)]
    if document.series != "credit_note":  # the expert's documents name no customer
        facts.append(pdf.Row(_(texts.CUSTOMER_NUMBER), customer_number))
    facts += [
        pdf.Row(_(texts.EXPERT), expert_name),
        pdf.Row(_(texts.SESSION_DAY), session_day),
    ]
    if paid.terms == "per_minute":
        facts.append(pdf.Row(_(texts.MINUTES), minutes(paid, language)))
    facts.append(pdf.Row(_(texts.PRICE), price_rule(paid, language)))
    kind = document.document_type
    if corrected is not None:
        corrects = texts.CORRECTS_CREDIT_NOTE if kind == "credit_correction" else texts.CORRECTS
        facts.append(pdf.Row(_(corrects), corrected.number))
    if reason:
        facts.append(pdf.Row(_(texts.REASON), reason))
    if kind == "invoice":
        rows = [pdf.Row(_(texts.SESSION_AMOUNT), money(document.amount))]
        if document.waived:
            rows.append(pdf.Row(_(texts.WAIVED), money(-document.waived)))
        if document.tip:
            rows.append(pdf.Row(_(texts.TIP), money(document.tip)))
        rows += [
            pdf.Row(_(texts.TOTAL), money(document.total), strong=True),
            pdf.Row(_(texts.NET), money(document.total - document.tax)),
            pdf.Row(_(texts.TAX_INCLUDED) % {"rate": tax_rate}, money(document.tax)),
        ]
        note = texts.INVOICE_NOTE
    elif kind == "credit_note":
        rows = [pdf.Row(_(texts.SESSION_AMOUNT), money(document.amount))]
        if document.waived:
            rows.append(pdf.Row(_(texts.WAIVED), money(-document.waived)))
        if document.tip:
            rows.append(pdf.Row(_(texts.TIP), money(document.tip)))
        rows += [
            pdf.Row(_(texts.PLATFORM_FEE) % {"rate": fee_rate}, money(-document.fee)),
            pdf.Row(_(texts.TAX) % {"rate": tax_rate}, money(-document.tax)),
            pdf.Row(_(texts.EARNINGS), money(document.total), strong=True),
        ]
        note = texts.CREDIT_NOTE_NOTE
    elif kind == "credit_correction":
        rows = [
            pdf.Row(_(texts.REFUNDED_TO_CUSTOMER), money(document.amount)),
            pdf.Row(_(texts.FEE_RETURNED) % {"rate": fee_rate}, money(-document.fee)),
            pdf.Row(_(texts.TAX_RETURNED) % {"rate": tax_rate}, money(-document.tax)),
            pdf.Row(_(texts.EARNINGS_TAKEN_BACK), money(document.total), strong=True),
        ]
        note = texts.CREDIT_CORRECTION_NOTE
    else:
        rows = [
            pdf.Row(_(texts.REFUNDED), money(document.total), strong=True),
            pdf.Row(_(texts.REFUND_TAX) % {"rate": tax_rate}, money(document.tax)),
        ]
        note = texts.CORRECTION_NOTE
    return pdf.render(
        pdf.Document(
            title=_(texts.TITLES[kind]),
            issuer=issuer_lines(issuer, language),
            recipient=recipient,
            facts=facts,
            rows=rows,
            notes=[_(note) % {"isp": issuer.name}],
        )
    )
