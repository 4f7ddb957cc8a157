"""``isp-assistant diagnose``: the checks from the command line, as a table or as JSON.

Exit status 0 when nothing is critical, 1 when something is, 2 for wrong arguments (by
argparse), so scripts and the hotline's remote tools can act on it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from assistant.diagnostics.catalogue import CATEGORY_TITLES
from assistant.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Severity,
)
from assistant.diagnostics.texts import N_, render
from assistant.i18n import translator
from isp_common.i18n import LANGUAGES, pick_language

_LABELS = {
    Severity.ok: (N_("OK"), "green"),
    Severity.info: (N_("Note"), "cyan"),
    Severity.warning: (N_("Warning"), "yellow"),
    Severity.critical: (N_("Critical"), "bold red"),
    CheckStatus.unknown: (N_("Unknown"), "dim"),
    CheckStatus.timed_out: (N_("Timed out"), "magenta"),
}


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "diagnose",
        help="check the computer and the connection",
        description="Checks the computer and the internet connection and explains what to do.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--category",
        action="append",
        dest="categories",
        choices=[c.value for c in Category],
        metavar="NAME",
        help="only this category (internet, email, computer, security); may be repeated",
    )
    # Its own name: the top-level --lang would otherwise be overwritten by this default.
    parser.add_argument("--lang", dest="diagnose_lang", choices=LANGUAGES, help="language")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.diagnostics.runner import run_diagnostics
    from assistant.diagnostics.settings import DiagnosticsSettings

    language = pick_language(
        args.diagnose_lang,
        getattr(args, "lang", None),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    )
    translator.language.set(language)
    settings = DiagnosticsSettings()
    if args.json:
        report = asyncio.run(run_diagnostics(settings, categories=args.categories))
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        report = _run_with_progress(settings, args.categories)
        print_report(report)
    return 1 if report.has_critical else 0


def _run_with_progress(settings, categories) -> DiagnosticsReport:
    from rich.console import Console

    from assistant.diagnostics.runner import run_diagnostics

    console = Console(stderr=True)
    with console.status(render(N_("Checking …"))) as status:

        def show(progress) -> None:
            status.update(
                render(
                    N_("{done} of {total} checks done"),
                    {"done": progress.done, "total": progress.total},
                )
            )

        return asyncio.run(run_diagnostics(settings, categories=categories, on_result=show))


def _label(result: CheckResult) -> tuple[str, str]:
    key = result.severity if result.status is CheckStatus.completed else result.status
    text, style = _LABELS[key] if key is not None else _LABELS[CheckStatus.unknown]
    return render(text), style


def print_report(report: DiagnosticsReport, console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    for category in Category:
        results = [r for r in report.checks if r.category is category]
        if not results:
            continue
        table = Table(
            title=render(CATEGORY_TITLES[category]),
            title_justify="left",
            show_header=False,
            expand=True,
            box=None,
            padding=(0, 1),
        )
        table.add_column(width=11, no_wrap=True)
        table.add_column(ratio=1, style="bold")
        table.add_column(ratio=3)
        for result in results:
            label, style = _label(result)
            if result.status is not CheckStatus.completed:
                table.add_row(Text(label, style=style), result.title, result.reason or "")
                continue
            for index, item in enumerate(result.findings):
                text, item_style = _LABELS[item.severity]
                body = Text(item.title, style="bold")
                body.append("\n" + item.explanation, style="")
                for step in item.steps:
                    body.append("\n→ " + step, style="")
                table.add_row(
                    Text(render(text), style=item_style), result.title if index == 0 else "", body
                )
        console.print(table)
        console.print()
    counts = {s: len([f for f in report.findings() if f.severity is s]) for s in Severity}
    unknown = len([r for r in report.checks if r.status is not CheckStatus.completed])
    summary = render(
        N_("Checks: {checks} · critical: {critical} · warnings: {warning} · unknown: {unknown}"),
        {
            "checks": len(report.checks),
            "critical": counts[Severity.critical],
            "warning": counts[Severity.warning],
            "unknown": unknown,
        },
    )
    console.print(Text(summary, style="bold red" if report.has_critical else "bold"))
