"""Imports customers and subscriptions from a CSV file, the way the provisioning API stores
them (the same validation, created / updated / unchanged alike).

The file: UTF-8 (a byte-order mark is fine), comma- or semicolon-separated, a header row
naming the columns account_number, name, email, language, tier, valid_until in any order.
Every row describes a whole customer; empty language means de, empty tier means none,
empty valid_until means no end date (a date alone ends in the portal's time zone). A bad
row is rejected with its line number and the reason and the other rows are stored; each
row is saved in its own savepoint, so a row is stored completely or not at all.
"""

from __future__ import annotations

import codecs
import csv
import itertools
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
# Rows are committed in batches for speed; each row has its own savepoint within a batch.
BATCH_SIZE = 200


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, not UTF-8, wrong header)."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    account_number: str
    reason: str

    def __str__(self) -> str:
        number = f" ({self.account_number})" if self.account_number else ""
        return f"line {self.line}{number}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )


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
    report = ImportReport()
    iterator = iter(lines)
    try:
        first = next(iterator, None)
    except UnicodeDecodeError:
        raise ImportFileError("line 1 is not UTF-8 text") from None
    if first is None or not first.strip():
        raise ImportFileError(f"the file is empty: the first line must name the columns {_list()}")
    first = first.removeprefix("\ufeff")
    # German spreadsheets separate with semicolons; the header tells which one is used.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(itertools.chain([first], iterator), delimiter=delimiter)
    columns = _read_header(next(rows))
    first_seen: dict[str, int] = {}
    pending = 0
    try:
        line = rows.line_num + 1
        for values in rows:
            if any(value.strip() for value in values):
                _import_row(db_session, line, columns, values, first_seen, report, time_zone)
                pending += 1
            if pending >= BATCH_SIZE:
                db_session.commit()
                pending = 0
            if progress:
                progress(rows.line_num - 1)
            line = rows.line_num + 1
    except UnicodeDecodeError:
        # The rows before stay stored: each is complete, and the report says where it stopped.
        db_session.commit()
        raise ImportFileError(f"line {line} is not UTF-8 text") from None
    except csv.Error as error:
        db_session.commit()
        raise ImportFileError(f"line {line} cannot be read as CSV: {error}") from None
    db_session.commit()
    return report


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


def _import_row(
    db_session, line, columns, values, first_seen, report: ImportReport, time_zone: str
) -> None:
    position = columns.index("account_number")
    raw_number = values[position].strip() if len(values) > position else ""

    def reject(reason: str) -> None:
        report.problems.append(RowProblem(line, raw_number, reason))

    if len(values) != len(columns):
        reject(f"expected {len(columns)} values, found {len(values)}")
        return
    row = {name: value.strip() for name, value in zip(columns, values, strict=True)}
    empty = [name for name in REQUIRED_VALUES if not row[name]]
    if empty:
        reject(f"no value for {', '.join(empty)}")
        return
    try:
        account_number = normalise_account_number(row["account_number"])
    except ValueError as error:
        reject(str(error))
        return
    if account_number in first_seen:
        reject(f"account number {account_number} is already on line {first_seen[account_number]}")
        return
    first_seen[account_number] = line
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
        reject("; ".join(_describe(problem) for problem in error.errors()))
        return
    try:
        with db_session.begin_nested():
            saved = service.save(
                db_session=db_session,
                account_number=account_number,
                customer_in=customer_in,
                time_zone=time_zone,
                commit=False,
            )
    except SQLAlchemyError as error:
        reject(f"could not be stored: {type(error).__name__}")
        return
    setattr(report, saved.outcome.value, getattr(report, saved.outcome.value) + 1)


def _describe(problem) -> str:
    column = str(problem["loc"][-1]) if problem["loc"] else "row"
    if problem["type"] == "enum":  # pydantic's message does not say what was given
        return f'{column}: "{problem["input"]}" is not allowed, {problem["msg"].lower()}'
    return f"{column}: {problem['msg']}"
