"""A payout report as a CSV file (through `isp_common.csv_files`, so no value becomes a
spreadsheet formula) and as a PDF (the invoices' layout). Amounts in the CSV are decimal
numbers of the currency's main unit with a dot, so a spreadsheet sums them; the PDF shows
them formatted for the reader (`isp_common.formatting`)."""

from __future__ import annotations

import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision

from agent_portal.invoices import pdf
from agent_portal.invoices.documents import issuer_lines
from agent_portal.invoices.figures import Issuer
from agent_portal.invoices.texts import gettext_for
from agent_portal.payouts import texts
from agent_portal.payouts.service import Report
from isp_common import formatting
from isp_common.csv_files import SafeCsvWriter

AMOUNTS = ("charged", "waived", "tip", "fee", "tax", "earned", "refunded", "refunded_expert")


def _plain(cents: int, currency: str) -> str:
    return str(Decimal(cents).scaleb(-get_currency_precision(currency)))


def file_name(found: Report, suffix: str) -> str:
    return f"payout-{found.period.name}-{found.expert.username}.{suffix}"


def as_csv(found: Report, *, language: str, zone: ZoneInfo) -> str:
    _ = gettext_for(language)
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(
        [
            _(texts.PERIOD),
            _(texts.EXPERT),
            _(texts.SESSION),
            _(texts.ENDED),
            _(texts.CREDIT_NOTE),
            _(texts.CURRENCY),
            _(texts.CHARGED),
            _(texts.WAIVED),
            _(texts.TIPS),
            _(texts.FEE),
            _(texts.TAX),
            _(texts.EARNED),
            _(texts.REFUNDS),
            _(texts.REFUNDS_EXPERT),
            _(texts.NET),
        ]
    )
    name = found.expert.display_name or found.expert.username
    for total in found.currencies:
        for line in total.lines:
            writer.writerow(
                [
                    found.period.name,
                    name,
                    line.paid_session_id,
                    line.ended_at.astimezone(zone).date().isoformat() if line.ended_at else "",
                    line.credit_note or "",
                    total.currency,
                    *(_plain(getattr(line, column), total.currency) for column in AMOUNTS),
                    _plain(line.earned - line.refunded_expert, total.currency),
                ]
            )
        writer.writerow(
            [
                found.period.name,
                name,
                _(texts.TOTAL_ROW),
                "",
                "",
                total.currency,
                *(
                    _plain(getattr(total, "tips" if column == "tip" else column), total.currency)
                    for column in AMOUNTS
                ),
                _plain(total.net, total.currency),
            ]
        )
    return out.getvalue()


def as_pdf(found: Report, *, language: str, issuer: Issuer) -> bytes:
    _ = gettext_for(language)
    name = found.expert.display_name or found.expert.username
    rows: list[pdf.Row] = []
    table: list[list[str]] = []
    for total in found.currencies:

        def money(cents: int, currency: str = total.currency) -> str:
            return formatting.money(cents, currency, locale=language)

        for line in total.lines:
            table.append(
                [
                    formatting.day(line.ended_at, locale=language, zone=issuer.zone)
                    if line.ended_at
                    else "",
                    money(line.charged),
                    money(line.tip),
                    money(line.fee),
                    money(line.tax),
                    money(line.earned - line.refunded_expert),
                ]
            )
        rows += [
            pdf.Row(_(texts.SESSIONS), formatting.number(total.sessions, locale=language)),
            pdf.Row(_(texts.CHARGED), money(total.charged)),
            pdf.Row(_(texts.WAIVED), money(total.waived)),
            pdf.Row(_(texts.TIPS), money(total.tips)),
            pdf.Row(_(texts.FEE), money(-total.fee)),
            pdf.Row(_(texts.TAX), money(-total.tax)),
            pdf.Row(_(texts.EARNED), money(total.earned)),
            pdf.Row(_(texts.REFUNDS), money(total.refunded)),
            pdf.Row(_(texts.REFUNDS_EXPERT), money(-total.refunded_expert)),
            pdf.Row(_(texts.NET), money(total.net), strong=True),
            pdf.Row(
                _(texts.STATUS),
                _(texts.PAID_ON)
                % {"day": formatting.day(total.paid.paid_at, locale=language, zone=issuer.zone)}
                if total.paid
                else _(texts.OPEN),
            ),
        ]
    return pdf.render(
        pdf.Document(
            title=_(texts.TITLE) % {"period": found.period.name},
            issuer=issuer_lines(issuer, language),
            recipient=[name],
            facts=[
                pdf.Row(_(texts.EXPERT), name),
                pdf.Row(_(texts.PERIOD), found.period.name),
            ],
            table_header=[
                _(texts.ENDED),
                _(texts.CHARGED),
                _(texts.TIPS),
                _(texts.FEE),
                _(texts.TAX),
                _(texts.NET),
            ],
            table=table,
            rows=rows,
        )
    )
