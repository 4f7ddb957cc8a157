"""A business document as a PDF (fpdf2): the issuer at the top, the recipient, a title
with its number and date, a table of labelled amounts, notes at the foot. The words come
translated and the figures formatted (`isp_common.formatting`); this module only lays
them out. Its core font writes Windows-1252, which holds German, English and the euro."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "helvetica"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    strong: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    issuer: Sequence[str]  # name, address lines, tax number
    recipient: Sequence[str]
    facts: Sequence[Row]  # number, date, session ...: label and value
    rows: Sequence[Row]  # the amounts
    notes: Sequence[str] = field(default_factory=tuple)
    # A wider table (e.g. a payout report): its header and rows, before `rows`.
    table_header: Sequence[str] = field(default_factory=tuple)
    table: Sequence[Sequence[str]] = field(default_factory=tuple)


def _printable(text: str) -> str:
    """What Windows-1252 cannot hold (a narrow no-break space, an emoji) as near as it gets."""
    text = text.replace("\u202f", "\u00a0")
    return text.encode("cp1252", errors="replace").decode("cp1252")


def render(document: Document) -> bytes:
    # Imported here: fpdf2 (with fontTools and numpy) costs every server start and every
    # `agent-portal` command about a second, and only a PDF download needs it.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(_printable(document.title))
    pdf.set_creator("agent-portal")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, size=9)
    for line in document.issuer:
        pdf.cell(width, 4.5, _printable(line), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(8)
    pdf.set_font(FONT, size=10)
    for line in document.recipient:
        pdf.cell(width, 5, _printable(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FONT, style="B", size=15)
    pdf.cell(width, 8, _printable(document.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, size=10)
    for fact in document.facts:
        pdf.cell(width * 0.4, 5.5, _printable(fact.label))
        pdf.cell(width * 0.6, 5.5, _printable(fact.value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    if document.table_header:
        _table(pdf, document.table_header, document.table)
        pdf.ln(6)
    for row in document.rows:
        pdf.set_font(FONT, style="B" if row.strong else "", size=10)
        if row.strong:
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.cell(width * 0.7, 6.5, _printable(row.label))
        pdf.cell(width * 0.3, 6.5, _printable(row.value), align="R", new_x="LMARGIN", new_y="NEXT")
    if document.notes:
        pdf.ln(8)
        pdf.set_font(FONT, size=8.5)
        for note in document.notes:
            pdf.multi_cell(width, 4.5, _printable(note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _table(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    column = pdf.epw / len(header)
    pdf.set_font(FONT, style="B", size=8.5)
    for index, label in enumerate(header):
        pdf.cell(column, 6, _printable(label), border="B", align="L" if index == 0 else "R")
    pdf.ln()
    pdf.set_font(FONT, size=8.5)
    for row in rows:
        for index, value in enumerate(row):
            pdf.cell(column, 5.5, _printable(value), align="L" if index == 0 else "R")
        pdf.ln()
