"""Every CSV file the product writes is safe to open in a spreadsheet: a value that would
start a formula is written as text, with a quote in front, and everything else as it is."""

from __future__ import annotations

import csv
import io

import pytest

from isp_common.csv_files import SafeCsvWriter


def written(*rows) -> list[list[str]]:
    stream = io.StringIO()
    SafeCsvWriter(stream, delimiter=";").writerows(rows)
    return list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";"))


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example";"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "+49 30 1234567",  # the price: a phone number gets the quote too
        -5,
    ],
)
def test_a_value_that_starts_a_formula_is_written_as_text(value):
    assert written(["K-1001", value]) == [["K-1001", f"'{value}"]]


def test_other_values_are_written_as_they_are():
    row = ["K-1001", "Weber, Anna", 'Ada "the first"', "a=b", "", None, 42, "ä@example.de"]
    assert written(row) == [
        ["K-1001", "Weber, Anna", 'Ada "the first"', "a=b", "", "", "42"] + ["ä@example.de"]
    ]
