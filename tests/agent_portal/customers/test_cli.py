"""`agent-portal import-customers`: the operator's command, with its output and exit status."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_portal.cli import main
from agent_portal.customers.models import Customer
from isp_common.csv_files import FORMULA_STARTS

HEADER = "account_number,name,email,language,tier,valid_until\n"
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def customers(db_session) -> dict[str, str]:
    db_session.expire_all()
    return {c.account_number: c.name for c in db_session.scalars(select(Customer))}


@pytest.mark.subprocess  # runs `agent-portal import-customers`
def test_the_real_command_imports_good_rows_and_reports_bad_ones(
    database_url, db_session, tmp_path
):
    csv_file = tmp_path / "kunden.csv"
    csv_file.write_text(
        HEADER
        + "K-1001,Erika Mustermann,erika@example.de,de,premium,2026-12-31\n"
        + "K-1002,Max Mustermann,max@example,de,none,\n"
        + "K-1003,Lena Roth,lena@example.de,en,premium_plus,\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "agent_portal.cli", "import-customers", str(csv_file)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )

    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith('Rejected line 3 (K-1002): email: "max@example" is not a valid')
    assert lines[-1] == (
        f"Import of {csv_file}: created 2, updated 0, unchanged 0, rejected 1, blank 0 "
        "(3 lines after the header)"
    )
    assert customers(db_session) == {"K-1001": "Erika Mustermann", "K-1003": "Lena Roth"}


@pytest.fixture
def portal_env(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))


def test_all_rows_good_exits_0_and_a_second_run_changes_nothing(
    portal_env, db_session, tmp_path, capsys
):
    csv_file = tmp_path / "good.csv"
    csv_file.write_text(HEADER + "K-2001,Ada Lovelace,ada@example.de,en,none,\n")

    assert main(["import-customers", str(csv_file)]) == 0
    assert "created 1, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    assert main(["import-customers", str(csv_file)]) == 0
    assert "created 0, updated 0, unchanged 1, rejected 0" in capsys.readouterr().out
    assert customers(db_session) == {"K-2001": "Ada Lovelace"}


def test_a_file_that_cannot_be_read_exits_2_and_stores_nothing(
    portal_env, db_session, tmp_path, capsys
):
    row = "K-3001,Jörg Weiß,joerg@example.de,de,none,\n"
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + row).encode("latin-1"))
    no_email = tmp_path / "no-email.csv"
    no_email.write_text("account_number,name,language,tier,valid_until\nK-3001,Jörg,de,none,\n")

    assert main(["import-customers", str(latin1)]) == 2
    assert "is not UTF-8 text (line 2" in capsys.readouterr().err
    assert main(["import-customers", str(no_email)]) == 2
    assert "missing columns: email" in capsys.readouterr().err
    assert main(["import-customers", str(tmp_path / "nowhere.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert customers(db_session) == {}


def test_every_line_is_named_and_rejected_lines_are_written_safely_for_a_spreadsheet(
    portal_env, db_session, tmp_path, capsys
):
    csv_file = tmp_path / "kunden.csv"
    csv_file.write_text(
        HEADER
        + "K-4001,Ada Lovelace,ada@example.de,en,none,\n"  # line 2
        + '-K-4002,"=HYPERLINK(""http://evil.example"";""Click"")",x@example.de,de,none,\n'
        + "K-4003,Alan Turing,alan@example.de,en,none,\n"  # 4
        + 'K-4004,"Weber, Anna,anna@example.de,de,none,\n'  # 5: the quote is not closed
        + "\n"  # 6
        + "K-4005,Grace Hopper,grace@example.de,en,none,\n",  # 7
        encoding="utf-8",
    )
    rejected_file = tmp_path / "rejected.csv"

    status = main(["import-customers", str(csv_file), "--rejected", str(rejected_file)])

    assert status == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Rejected line 3 (-K-4002): ")
    assert out[1].startswith("Rejected line 5 (K-4004): a quote opened on this line is not closed")
    assert "Created: lines 2, 4, 7" in out
    assert "Blank: line 6" in out
    assert out[-1].endswith("rejected 2, blank 1 (6 lines after the header)")
    assert customers(db_session) == {
        "K-4001": "Ada Lovelace",
        "K-4003": "Alan Turing",
        "K-4005": "Grace Hopper",
    }
    with rejected_file.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["line", "account_number", "reason", "text"]
    assert [row[0] for row in rows[1:]] == ["3", "5"]
    # Nothing a spreadsheet would run: the values that look like formulas begin with a quote.
    account, text = rows[1][1], rows[1][3]
    assert account == "'-K-4002"
    assert text.startswith("'-K-4002,\"=HYPERLINK(")
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_help_documents_the_file_format(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import-customers", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for column in ["account_number", "name", "email", "language", "tier", "valid_until"]:
        assert f"\n  {column} " in text
    assert "Exit status: 0" in text
