"""The report as a PDF page layout (fpdf2), the same content as the HTML export.

A Unicode font of the system is embedded where one is found (DejaVu on Linux, Arial on
Windows and macOS), so every character of every language prints; without one, the PDF's
built-in Helvetica is used, which covers German, and other characters become "?".
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_CANDIDATES = [
    # (regular, bold)
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    (
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
]

COLOURS = {
    "ok": (28, 124, 54),
    "info": (29, 95, 168),
    "warning": (143, 82, 0),
    "critical": (179, 38, 30),
    "unknown": (90, 100, 114),
    "timed_out": (90, 100, 114),
}
TEXT = (27, 36, 48)
MUTED = (85, 96, 112)
BRAND = (10, 79, 156)


class ReportPdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.family, self.unicode = _font(self)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("cp1252", errors="replace").decode("cp1252")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.text_of(f"{self.footer_text}  ·  {self.page_no()}"), align="C")

    def write_block(
        self,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        colour=TEXT,
        indent: float = 0,
        height: float = 5,
    ) -> None:
        self.set_font(self.family, style="B" if bold else "", size=size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, height, self.text_of(text), new_x="LMARGIN", new_y="NEXT"
        )


def _font(pdf: FPDF) -> tuple[str, bool]:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdf.add_font("ReportSans", "", regular)
            pdf.add_font("ReportSans", "B", bold)
            return "ReportSans", True
    return "Helvetica", False


def render_pdf(
    *, report, labels: dict[str, str], areas, overall: str, combined: list[str], checked_at: str
) -> bytes:
    pdf = ReportPdf(labels["created_by"])
    pdf.set_title(labels["title"])
    pdf.set_creator("Internet Assistant")
    pdf.add_page()
    pdf.write_block(labels["title"], size=17, bold=True, colour=BRAND, height=8)
    pdf.ln(2)
    host = report.host
    for label, value in (
        (labels["checked_at"], checked_at),
        (labels["computer"], host.hostname),
        (labels["system"], f"{host.os_name} {host.os_version}"),
        (labels["version"], host.assistant_version),
        (labels["report_id"], str(report.report_id)),
    ):
        pdf.write_block(f"{label}: {value}", size=9.5, colour=MUTED)
    pdf.ln(3)
    pdf.write_block(f"{labels['overall']}: {overall}", size=12, bold=True)
    for text in combined:  # what findings that seem to contradict mean together
        pdf.ln(1)
        pdf.write_block(text, size=10.5)
    for area in areas:
        pdf.ln(4)
        pdf.write_block(area.title, size=13, bold=True, colour=BRAND, height=7)
        pdf.set_draw_color(*BRAND)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.5)
        for check in area.checks:
            pdf.ln(1.5)
            pdf.write_block(
                f"{check.title} — {check.status_word}",
                size=10.5,
                bold=True,
                colour=COLOURS.get(check.status, TEXT),
            )
            if check.reason:
                pdf.write_block(check.reason, indent=4)
            if check.result.advice:
                pdf.write_block(
                    f"{labels['what_to_do']}: {check.result.advice}",
                    indent=8,
                    colour=MUTED,
                    size=9.5,
                )
            for finding in check.result.findings:
                pdf.write_block(finding.title, indent=4)
                if finding.severity.value != "ok" and finding.explanation:
                    pdf.write_block(
                        f"{labels['what_it_means']}: {finding.explanation}",
                        indent=8,
                        colour=MUTED,
                        size=9.5,
                    )
                if finding.steps:
                    pdf.write_block(f"{labels['what_to_do']}:", indent=8, colour=MUTED, size=9.5)
                    for number, step in enumerate(finding.steps, start=1):
                        pdf.write_block(f"{number}. {step}", indent=12, size=9.5)
    return bytes(pdf.output())
