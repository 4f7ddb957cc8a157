"""Imports customers and subscriptions from a CSV file, the way the provisioning API stores
them (the same validation, created / updated / unchanged alike).

The file: UTF-8 (a byte-order mark is fine), comma- or semicolon-separated, a header row
naming the columns account_number, name, email, language, tier, valid_until in any order.
Every row describes a whole customer; empty language means de, empty tier means none,
empty valid_until means no end date (a date alone ends in the portal's time zone).

Every line after the header is one row and gets one result in the report: created,
updated, unchanged, rejected (with the reason) or blank. No value of ours may span lines,
so each line is read on its own: a quote left open rejects its own line and cannot
swallow the lines after it. Each row is saved in its own savepoint, so a row is stored
completely or not at all.

Unlike a service function, the import commits, in batches: it is the unit of work of the
`import-customers` command (its only caller), and its report promises row by row what is
stored. A file that turns out unreadable halfway keeps the rows before it, as the report
says, rather than losing a long import to its last line; a batch keeps one transaction
(and SQLite's one writer lock) from growing with the file.
"""

from __future__ import annotations

import codecs
import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from agent_portal.customers import service
from agent_portal.customers.schemas import CustomerIn, normalise_account_number

COLUMNS = ("account_number", "name", "email", "language", "tier", "valid_until")
REQUIRED_VALUES = ("account_number", "name", "email")
OUTCOMES = ("created", "updated", "unchanged", "rejected", "blank")
# Rows are committed in batches for speed; each row has its own savepoint within a batch.
BATCH_SIZE = 200
# What Python's csv module says, in words that tell how to fix the line.
_CSV_PROBLEMS = {
    "unexpected end of data": (
        "a quote opened on this line is not closed (a value with the separator in it is "
        'written in quotes, a quote inside it doubled: "Weber, ""Anna""")'
    ),
    "expected after": "a quoted value goes on after its closing quote",
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, not UTF-8, wrong header)."""


@dataclass(frozen=True)
class LineResult:
    line: int
    outcome: str  # one of OUTCOMES
    account_number: str = ""
    reason: str = ""  # why a line was rejected
    text: str = ""  # a rejected line as it was in the file

    def __str__(self) -> str:
        number = f" ({self.account_number})" if self.account_number else ""
        return f"line {self.line}{number}: {self.reason or self.outcome}"


@dataclass
class ImportReport:
    results: list[LineResult] = field(default_factory=list)
    delimiter: str = ","
    counts: Counter = field(default_factory=Counter)

    def add(self, result: LineResult) -> None:
        self.results.append(result)
        self.counts[result.outcome] += 1

    @property
    def created(self) -> int:
        return self.counts["created"]

    @property
    def updated(self) -> int:
        return self.counts["updated"]

    @property
    def unchanged(self) -> int:
        return self.counts["unchanged"]

    @property
    def rejected(self) -> int:
        return self.counts["rejected"]

    @property
    def blank(self) -> int:
        return self.counts["blank"]

    @property
    def problems(self) -> list[LineResult]:
        return [result for result in self.results if result.outcome == "rejected"]

    def lines(self, outcome: str) -> list[int]:
        return [result.line for result in self.results if result.outcome == outcome]

    def summary(self) -> str:
        counts = ", ".join(f"{outcome} {self.counts[outcome]}" for outcome in OUTCOMES)
        return f"{counts} ({len(self.results)} lines after the header)"


def line_ranges(lines: list[int]) -> str:
    """[2, 3, 4, 7] -> "2-4, 7"."""
    ranges: list[list[int]] = []
    for line in lines:
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def check_file(path: Path) -> int:
    """Reads the file once to be sure it can be imported whole: it exists and is UTF-8.
    Returns the number of lines (for a progress bar)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    ends_with_newline = True
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 16):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    bad_line = lines + chunk[: error.start].count(b"\n") + 1
                    raise ImportFileError(
                        f"{path} is not UTF-8 text (line {bad_line} has a byte that is not "
                        "UTF-8): save it as CSV UTF-8 and try again"
                    ) from None
                lines += text.count("\n")
                ends_with_newline = text.endswith("\n") if text else ends_with_newline
            decoder.decode(b"", final=True)
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path} is not UTF-8 text: it ends inside a character") from None
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror}") from None
    return lines if ends_with_newline else lines + 1


def import_customers(
    *,
    db_session: Session,
    lines: Iterable[str],
    time_zone: str,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Imports the CSV text given line by line. `progress(n)` is told how many lines after
    the header have been handled. ImportFileError if the header is wrong or the text cannot
    be decoded."""
    iterator = iter(lines)
    try:
        first = next(iterator, None)
    except UnicodeDecodeError:
        raise ImportFileError("line 1 is not UTF-8 text") from None
    if first is None or not first.strip():
        raise ImportFileError(f"the file is empty: the first line must name the columns {_list()}")
    first = first.removeprefix("\ufeff")
    # German spreadsheets separate with semicolons; the header tells which one is used.
    report = ImportReport(delimiter=";" if first.count(";") > first.count(",") else ",")
    try:
        header = _values(first, report.delimiter)
    except csv.Error as error:
        problem = _csv_problem(error)
        raise ImportFileError(f"the header (line 1) cannot be read: {problem}") from None
    columns = _read_header(header)
    rows = _Rows(db_session, columns, report, time_zone)
    line = 1
    try:
        for line, text in enumerate(iterator, start=2):
            rows.import_line(line, text)
            if progress:
                progress(line - 1)
    except UnicodeDecodeError:
        # The rows before stay stored: each is complete, and the report says where it stopped.
        db_session.commit()
        raise ImportFileError(f"line {line + 1} is not UTF-8 text") from None
    db_session.commit()
    return report


def _values(text: str, delimiter: str) -> list[str]:
    """The values of one line; csv.Error when the line is not CSV."""
    reader = csv.reader([text.rstrip("\r\n")], delimiter=delimiter, strict=True)
    return next(reader, [])


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    for known, words in _CSV_PROBLEMS.items():
        if known in message:
            return words
    return f"cannot be read as CSV ({message})"


def _read_header(header: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    missing = [name for name in COLUMNS if name not in columns]
    unknown = [name or "(no name)" for name in columns if name not in COLUMNS]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if repeated:
        problems.append(f"columns named twice: {', '.join(repeated)}")
    if problems:
        raise ImportFileError(
            f"the header (line 1) is not usable, {'; '.join(problems)}. The columns are {_list()}"
        )
    return columns


def _list() -> str:
    return ", ".join(COLUMNS)


class _Rows:
    """Stores row after row, remembering the account numbers seen and the open batch."""

    def __init__(self, db_session: Session, columns, report: ImportReport, time_zone: str):
        self.db_session = db_session
        self.columns = columns
        self.report = report
        self.time_zone = time_zone
        self.first_seen: dict[str, int] = {}
        self.pending = 0

    def import_line(self, line: int, text: str) -> None:
        if not text.strip(" \t\r\n" + self.report.delimiter):
            self.report.add(LineResult(line, "blank"))
            return
        try:
            values = _values(text, self.report.delimiter)
        except csv.Error as error:
            raw_number = text.split(self.report.delimiter, 1)[0].strip().strip('"')
            self._reject(line, text, raw_number, _csv_problem(error))
            return
        if self._import_row(line, text, values):
            self.pending += 1
        if self.pending >= BATCH_SIZE:
            self.db_session.commit()
            self.pending = 0

    def _reject(self, line: int, text: str, raw_number: str, reason: str) -> None:
        self.report.add(LineResult(line, "rejected", raw_number, reason, text.rstrip("\r\n")))

    def _import_row(self, line: int, text: str, values: list[str]) -> bool:
        """Stores the row and reports its outcome; False when it was rejected."""
        columns = self.columns
        position = columns.index("account_number")
        raw_number = values[position].strip() if len(values) > position else ""

        def reject(reason: str) -> bool:
            self._reject(line, text, raw_number, reason)
            return False

        if len(values) != len(columns):
            return reject(f"expected {len(columns)} values, found {len(values)}")
        row = {name: value.strip() for name, value in zip(columns, values, strict=True)}
        empty = [name for name in REQUIRED_VALUES if not row[name]]
        if empty:
            return reject(f"no value for {', '.join(empty)}")
        try:
            account_number = normalise_account_number(row["account_number"])
        except ValueError as error:
            return reject(str(error))
        if account_number in self.first_seen:
            seen = self.first_seen[account_number]
            return reject(f"account number {account_number} is already on line {seen}")
        self.first_seen[account_number] = line
        try:
            customer_in = CustomerIn.model_validate(
                {
                    "name": row["name"],
                    "email": row["email"],
                    "language": row["language"] or "de",
                    "subscription": {
                        "tier": row["tier"] or "none",
                        "valid_until": row["valid_until"] or None,
                    },
                }
            )
        except ValidationError as error:
            return reject("; ".join(_describe(problem) for problem in error.errors()))
        try:
            with self.db_session.begin_nested():
                saved = service.save(
                    db_session=self.db_session,
                    account_number=account_number,
                    customer_in=customer_in,
                    time_zone=self.time_zone,
                )
        except SQLAlchemyError as error:
            return reject(f"could not be stored: {type(error).__name__}")
        self.report.add(LineResult(line, saved.outcome.value, account_number))
        return True


def _describe(problem) -> str:
    column = str(problem["loc"][-1]) if problem["loc"] else "row"
    if problem["type"] == "enum":  # pydantic's message does not say what was given
        return f'{column}: "{problem["input"]}" is not allowed, {problem["msg"].lower()}'
    return f"{column}: {problem['msg']}"
