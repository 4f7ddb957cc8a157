"""`agent-portal import-customers FILE.csv`: the operator's bulk import of customers and
subscriptions. The work is done by `agent_portal.customers.importer`; this only reads the
file, shows progress and reports."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from agent_portal.config import PortalSettings
from agent_portal.customers import importer
from agent_portal.database import make_engine, make_session_factory
from agent_portal.migrate import upgrade_to_head
from isp_common.csv_files import SafeCsvWriter

IMPORT_HELP = """\
Creates or updates customers and their subscriptions from a CSV file.

The file: UTF-8 text (as Excel's "CSV UTF-8" writes it), separated by commas or
semicolons, with a header line naming these columns in any order:

  account_number  4-20 letters A-Z, digits and dashes, e.g. 1000002 (required)
  name            the customer's full name (required)
  email           the customer's e-mail address (required)
  language        de or en (empty: de)
  tier            none, premium or premium_plus (empty: none)
  valid_until     last day of the subscription, 2026-12-31 (it ends at midnight in
                  PORTAL_TIME_ZONE, Europe/Berlin by default), or a date and time
                  with a time zone, 2026-12-31T18:00:00+01:00 (empty: no end)

Example:
  account_number,name,email,language,tier,valid_until
  1000002,Erika Mustermann,erika@example.de,de,premium,2026-12-31

Each row replaces what is stored for that account number. Every line after the header
is reported: the rejected ones one by one with the reason, the others by their line
numbers (created, updated, unchanged, blank). A line is a row: a quote left open
rejects only its own line. With --rejected, the rejected lines are also written to a CSV
file (line, account_number, reason, text) to fix in a spreadsheet; a value there that a
spreadsheet would take for a formula (=, +, -, @ at the start) begins with a quote.

Exit status: 0 all rows stored, 1 some rows rejected, 2 the file cannot be read
(missing, not UTF-8, wrong header) or REJECTED.csv cannot be written, 3 the database
cannot be reached.
"""


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "import-customers",
        help="create or update customers from a CSV file",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file to import")
    parser.add_argument(
        "--rejected",
        type=Path,
        metavar="REJECTED.csv",
        help="also write the rejected lines, with their reasons, to this CSV file",
    )
    parser.set_defaults(handler=import_customers)


def import_customers(args: argparse.Namespace) -> int:
    try:
        line_count = importer.check_file(args.file)
    except importer.ImportFileError as error:
        print(f"Cannot import: {error}", file=sys.stderr)
        return 2
    with ExitStack() as files:
        try:
            # Opened first: a place that cannot be written stops the import before it starts.
            rejected = args.rejected and files.enter_context(
                args.rejected.open("w", encoding="utf-8-sig", newline="")
            )
        except OSError as error:
            print(f"Cannot write {args.rejected}: {error.strerror}", file=sys.stderr)
            return 2
        report = _import(args.file, line_count)
        if isinstance(report, int):
            return report
        if rejected:
            _write_rejected(rejected, report)
    _print_report(args.file, report)
    return 1 if report.problems else 0


def _import(path: Path, line_count: int) -> importer.ImportReport | int:
    """The report, or the exit status when the import could not run."""
    settings = PortalSettings()
    engine = make_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
        with make_session_factory(engine)() as db_session:
            return _run(path, line_count, db_session, settings.time_zone)
    except importer.ImportFileError as error:
        print(f"Cannot import {path}: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(f"The database cannot be reached: {error}", file=sys.stderr)
        return 3
    finally:
        engine.dispose()


def _print_report(path: Path, report: importer.ImportReport) -> None:
    for problem in report.problems:
        print(f"Rejected {problem}")
    for outcome in ("created", "updated", "unchanged", "blank"):
        if lines := report.lines(outcome):
            word = "line" if len(lines) == 1 else "lines"
            print(f"{outcome.title()}: {word} {importer.line_ranges(lines)}")
    print(f"Import of {path}: {report.summary()}")


def _write_rejected(stream, report: importer.ImportReport) -> None:
    # The input's separator, and a byte-order mark (the stream's encoding), so a
    # spreadsheet opens it as it opened the input.
    writer = SafeCsvWriter(stream, delimiter=report.delimiter)
    writer.writerow(["line", "account_number", "reason", "text"])
    writer.writerows(
        [problem.line, problem.account_number, problem.reason, problem.text]
        for problem in report.problems
    )


def _run(path: Path, line_count: int, db_session, time_zone: str) -> importer.ImportReport:
    console = Console(stderr=True)
    columns = (
        TextColumn("Importing customers"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("lines"),
        TimeElapsedColumn(),
    )
    with (
        Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as progress,
        path.open(encoding="utf-8-sig", newline="") as stream,
    ):
        task = progress.add_task("import", total=max(line_count - 1, 0))
        return importer.import_customers(
            db_session=db_session,
            lines=stream,
            time_zone=time_zone,
            progress=lambda done: progress.update(task, completed=done),
        )
