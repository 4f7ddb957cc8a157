"""The report as a file the customer can send to the hotline: HTML, or PDF (fpdf2).

Both show the same things in the report's own language: when and on which computer it was
made, the overall state, and per area each check with its result, explanation and steps.
The HTML file is self-contained (styles inline, no scripts), so it opens anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant import formats
from assistant.diagnostics.catalogue import CATEGORY_TITLES
from assistant.i18n import _, translator
from assistant.verdict import AREAS, LIGHT_SHAPES, check_status, verdict
from isp_common.diagnostics.report import CheckResult, DiagnosticsReport
from isp_common.file_names import numbered, safe_file_name
from isp_common.i18n import LANGUAGES

TEMPLATES = Path(__file__).parent / "ui" / "templates"
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
MAX_COPIES = 1000


@dataclass(frozen=True)
class ExportedCheck:
    title: str
    status: str
    status_word: str
    reason: str | None
    result: CheckResult


@dataclass(frozen=True)
class ExportedArea:
    title: str
    checks: list[ExportedCheck]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    token = translator.language.set(language if language in LANGUAGES else "de")
    try:
        yield
    finally:
        translator.language.reset(token)


def status_words() -> dict[str, str]:
    return {
        "ok": _("OK"),
        "info": _("Note"),
        "warning": _("Needs attention"),
        "critical": _("Problem"),
        "unknown": _("Could not check"),
        "timed_out": _("Took too long"),
    }


def area_titles() -> dict[str, str]:
    return {category.value: _(title) for category, title in CATEGORY_TITLES.items()}


def overall_title(light: str) -> str:
    return {
        "ok": _("Everything is fine"),
        "warning": _("Some things need your attention"),
        "critical": _("We found a problem"),
    }[light]


def labels() -> dict[str, str]:
    return {
        "title": _("Report on your computer and connection"),
        "checked_at": _("Checked on"),
        "computer": _("Computer"),
        "system": _("System"),
        "version": _("Assistant version"),
        "report_id": _("Report number"),
        "overall": _("Overall"),
        "what_it_means": _("What this means"),
        "what_to_do": _("What you can do"),
        "created_by": _("Made by the Internet Assistant. You can send this file to your hotline."),
    }


def areas_of(report: DiagnosticsReport) -> list[ExportedArea]:
    words = status_words()
    titles = area_titles()
    areas = []
    for area in AREAS:
        checks = [
            ExportedCheck(
                title=result.title,
                status=(status := check_status(result)),
                status_word=words[status],
                reason=result.reason,
                result=result,
            )
            for result in report.checks
            if result.category.value == area
        ]
        if checks:
            areas.append(ExportedArea(title=titles[area], checks=checks))
    return areas


def file_name(report: DiagnosticsReport, fmt: str) -> str:
    stamp = report.finished_at.astimezone().strftime("%Y-%m-%d_%H-%M")
    host = re.sub(r"[^\w-]", "", report.host.hostname)[:40] or "computer"
    return f"report_{host}_{stamp}.{fmt}"


def when(report: DiagnosticsReport) -> str:
    return formats.moment(report.finished_at)


def report_html(report: DiagnosticsReport) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    with speaking(report.language):
        at_a_glance = verdict(report.checks)
        return environment.get_template("report.html").render(
            report=report,
            language=translator.language.get(),
            labels=labels(),
            areas=areas_of(report),
            light=at_a_glance.light,
            light_word=at_a_glance.word,
            light_shape=LIGHT_SHAPES[at_a_glance.light],
            overall_title=overall_title(at_a_glance.light),
            combined=[combined.text for combined in at_a_glance.combined],
            checked_at=when(report),
        )


def report_pdf(report: DiagnosticsReport) -> bytes:
    from assistant.pdf import render_pdf

    with speaking(report.language):
        at_a_glance = verdict(report.checks)
        return render_pdf(
            report=report,
            labels=labels(),
            areas=areas_of(report),
            overall=f"{at_a_glance.word}: {overall_title(at_a_glance.light)}",
            combined=[combined.text for combined in at_a_glance.combined],
            checked_at=when(report),
        )


def export(report: DiagnosticsReport, fmt: str) -> bytes:
    if fmt == "html":
        return report_html(report).encode("utf-8")
    if fmt == "pdf":
        return report_pdf(report)
    raise ValueError(f"unknown format {fmt!r}: use html or pdf")


def save(report: DiagnosticsReport, fmt: str, folder: Path) -> Path:
    """Writes the report into `folder` under a name that does not overwrite another file."""
    return save_file(folder, file_name(report, fmt), export(report, fmt))


def save_file(folder: Path, name: str, content: bytes) -> Path:
    """Writes `content` into `folder` as `name` made safe (`isp_common.file_names`), or as
    `name (2)`, `name (3)` … when taken. Each name is created exclusively, so a file that
    appears meanwhile, or a link placed there, is never written over or through."""
    folder.mkdir(parents=True, exist_ok=True)
    safe = safe_file_name(name)
    for number in range(1, MAX_COPIES + 1):
        target = folder / (safe if number == 1 else numbered(safe, number))
        try:
            stream = target.open("xb")
        except FileExistsError:
            continue
        with stream:
            try:
                stream.write(content)
            except BaseException:
                stream.close()
                target.unlink(missing_ok=True)  # no half-written file is left behind
                raise
        return target
    raise FileExistsError(f"{folder} holds {MAX_COPIES} files named like {safe}")
