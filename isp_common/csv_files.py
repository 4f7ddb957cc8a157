"""Every CSV file the product writes goes through `SafeCsvWriter`, so a value from outside
cannot become a formula in the spreadsheet that opens the file (CSV injection).

Following OWASP's advice, a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a single quote in front: spreadsheets then show it as text and never run it.
The price is that such values read differently from the original: a phone number
`+49 30 1234567` is written as `'+49 30 1234567`, a negative number `-5` as `'-5`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> str:
    """The cell as text, with a quote in front when a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    """`csv.writer` with every cell neutralised; the same format parameters."""

    def __init__(self, stream: Any, **format_parameters: Any) -> None:
        self._writer = csv.writer(stream, **format_parameters)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralised(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
