"""``isp-assistant diagnose``: the checks from the command line, as a table or as JSON.

Exit status 0 when nothing is critical, 1 when something is, 2 for wrong arguments (by
argparse), so scripts and the hotline's remote tools can act on it.

Premium checks pass the same gate as in the window, with what is stored on this computer:
they run when the subscription this computer was signed in with allows them, and are
listed as locked (with the reason and how to unlock) otherwise. An unlock code from the
hotline unlocks the open window it was typed into, not this command.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from assistant.diagnostics.catalogue import CATEGORY_TITLES, Check, select_checks
from assistant.diagnostics.combinations import read_together
from assistant.diagnostics.texts import N_, render
from assistant.i18n import translator
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Severity,
)
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
        description=(
            "Checks the computer and the internet connection and explains what to do. "
            "Premium checks run when this computer's subscription allows them (sign in "
            "once in the assistant's window); otherwise they are listed as locked. A "
            "one-time unlock code from the hotline unlocks only the window it was typed "
            "into, for that session: it does not carry over to this command."
        ),
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
    language = pick_language(
        args.diagnose_lang,
        getattr(args, "lang", None),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    )
    translator.language.set(language)
    build = _build_config()
    settings = checks_settings(build)
    chosen = select_checks(args.categories)
    locks = premium_locks(chosen, build)
    allowed = [check.id for check in chosen if check.id not in locks]
    if args.json:
        report = asyncio.run(_run(settings, allowed))
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        if locks:  # the JSON stays a report; people read the locked checks on stderr
            print_locked(chosen, locks, console=_stderr_console())
    else:
        report = _run_with_progress(settings, allowed)
        print_report(report)
        print_locked(chosen, locks)
    return 1 if report.has_critical else 0


def checks_settings(build):
    """The settings the window's checks would use: with the provider profile kept here, if
    it still verifies (this command does not ask the server)."""
    from assistant.provider.service import ProviderProfiles
    from assistant.settings import data_dir

    profiles = ProviderProfiles(data_dir(), build)
    profiles.load_stored()
    return profiles.diagnostics_settings()


def _build_config():
    """The installation's build configuration; a broken one is reported and trusts nothing
    (the premium checks stay locked, no kept profile verifies)."""
    from assistant.build import BuildConfigError, load_build_config
    from isp_common.assistant_build import BuildConfig

    try:
        return load_build_config()
    except BuildConfigError as error:
        print(f"isp-assistant: {error}", file=sys.stderr)
        return BuildConfig()


def premium_locks(checks: list[Check], build) -> dict[str, object]:
    """The checks the stored subscription does not unlock, each with its Lock."""
    from assistant.premium.access import check_lock_of, stored_subscription_gate
    from assistant.settings import data_dir

    if not any(check.premium for check in checks):
        return {}
    gate, notice = stored_subscription_gate(data_dir(), build)
    locks = {}
    for check in checks:
        lock = check_lock_of(gate, check.id, check.category, check.premium, notice)
        if lock is not None:
            locks[check.id] = lock
    return locks


async def _run(settings, check_ids: list[str], on_result=None) -> DiagnosticsReport:
    from datetime import UTC, datetime

    from assistant.diagnostics.runner import host_info, run_diagnostics

    if not check_ids:  # no ids would mean "every check" to the runner
        language = translator.language.get()
        return DiagnosticsReport(
            language=language, started_at=datetime.now(UTC), host=host_info(), checks=[]
        )
    return await run_diagnostics(settings, check_ids=check_ids, on_result=on_result)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _run_with_progress(settings, check_ids: list[str]) -> DiagnosticsReport:
    console = _stderr_console()
    with console.status(render(N_("Checking …"))) as status:

        def show(progress) -> None:
            status.update(
                render(
                    N_("{done} of {total} checks done"),
                    {"done": progress.done, "total": progress.total},
                )
            )

        return asyncio.run(_run(settings, check_ids, on_result=show))


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
                body = Text(result.reason or "")
                if result.advice:
                    body.append("\n→ " + result.advice)
                table.add_row(Text(label, style=style), result.title, body)
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
    for combined in read_together(report.checks):  # findings that seem to contradict
        console.print(Text(combined.text, style="bold"))
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


def print_locked(checks: list[Check], locks: dict, console=None) -> None:
    """The premium checks that did not run: what each would show, why it is locked, and
    how to unlock them for this command."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    locked = [check for check in checks if check.id in locks]
    if not locked:
        return
    console = console or Console()
    table = Table(
        title=render(N_("Premium checks (locked)")),
        title_justify="left",
        show_header=False,
        expand=True,
        box=None,
        padding=(0, 1),
    )
    table.add_column(width=11, no_wrap=True)
    table.add_column(ratio=1, style="bold")
    table.add_column(ratio=3)
    for check in locked:
        label = Text(render(N_("Locked")), style="magenta")
        table.add_row(label, check.title, check.info().description)
    console.print(table)
    # Why, once per reason; "no entitlement" is what the sentence below explains.
    reasons = {lock.text for lock in locks.values() if lock.reason != "no_entitlement"}
    for reason in sorted(reasons):
        console.print(Text(reason, style="bold"))
    console.print(
        render(
            N_(
                "To unlock them here, sign in once in the assistant's window with your "
                "customer number: a Premium subscription then unlocks them for this command "
                "too. A one-time code from the hotline unlocks only the window it was typed "
                "into."
            )
        )
    )
    console.print()
