"""The CSV import: good rows are stored, each bad row is reported with its line number and
reason, and a rejected row leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agent_portal.customers import importer
from agent_portal.customers.importer import ImportFileError, check_file, import_customers
from agent_portal.customers.models import Customer
from tests.agent_portal.customers.conftest import add_customer

HEADER = "account_number,name,email,language,tier,valid_until\n"


def run_import(db_session, text: str, progress=None) -> importer.ImportReport:
    return import_customers(
        db_session=db_session,
        lines=text.splitlines(keepends=True),
        time_zone="Europe/Berlin",
        progress=progress,
    )


def stored(db_session) -> dict[str, Customer]:
    db_session.expire_all()
    return {c.account_number: c for c in db_session.scalars(select(Customer))}


def test_good_rows_are_stored_and_bad_rows_reported_by_line(db_session):
    text = (
        HEADER
        + "K-1001,Erika Müller,Erika.Mueller@Example.DE,de,premium,2026-12-31\n"  # line 2
        + "K-1002,John Smith,john@example,en,none,\n"  # 3: no top-level domain
        + "K-1003,Jana Novak,jana@example.de,de,gold,\n"  # 4: unknown tier
        + "k-1001,Erika Again,again@example.de,de,none,\n"  # 5: same number as line 2
        + "K-1004,,nobody@example.de,de,none,\n"  # 6: no name
        + "K-1005,Max Weber,max@example.de,de,premium,31.12.2026\n"  # 7: bad date
        + "K-1006,Too Few,few@example.de\n"  # 8: three values, not six
        + "K-1007,Lena Roth,lena@example.de,en,premium_plus,2027-06-30T12:00:00+02:00\n"
        + "\n"  # blank lines are skipped
        + "X!,Bad Number,bad@example.de,de,none,\n"  # 11: bad account number
        + '"K-1008","Weber, Anna",anna@example.de,,,\n'  # 12: quoted comma, defaults
    )
    seen_progress = []
    report = run_import(db_session, text, progress=seen_progress.append)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 7)
    reasons = {problem.line: problem.reason for problem in report.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 11]
    assert reasons[3].startswith('email: "john@example" is not a valid e-mail address')
    assert "It should have a period" in reasons[3]
    assert '"gold" is not allowed' in reasons[4] and "premium_plus" in reasons[4]
    assert "K-1001 is already on line 2" in reasons[5]
    assert reasons[6] == "no value for name"
    assert "valid_until" in reasons[7] and "31.12.2026" in reasons[7]
    assert reasons[8] == "expected 6 values, found 3"
    assert "not a valid account number" in reasons[11] and "4 to 20" in reasons[11]
    assert str(report.problems[0]).startswith("line 3 (K-1002): email:")

    customers = stored(db_session)
    assert sorted(customers) == ["K-1001", "K-1007", "K-1008"]
    erika = customers["K-1001"]
    assert (erika.name, erika.email, erika.language) == (
        "Erika Müller",
        "erika.mueller@example.de",
        "de",
    )
    assert erika.subscription.tier == "premium"
    # A date alone lasts to the end of that day in the portal's time zone (CET: UTC+1).
    assert erika.subscription.valid_until == datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC)
    lena = customers["K-1007"]
    assert lena.subscription.valid_until == datetime(2027, 6, 30, 10, 0, tzinfo=UTC)
    anna = customers["K-1008"]
    assert (anna.name, anna.language, anna.subscription.tier) == ("Weber, Anna", "de", "none")
    assert anna.subscription.valid_until is None
    assert seen_progress == sorted(seen_progress) and seen_progress[-1] == 11


def test_importing_again_counts_updated_and_unchanged(db_session):
    first = (
        HEADER
        + "K-2001,Ada Lovelace,ada@example.de,en,premium,\n"
        + "K-2002,Alan Turing,alan@example.de,en,none,\n"
    )
    run_import(db_session, first)
    before = stored(db_session)["K-2002"].updated_at

    second = (
        HEADER
        + "K-2001,Ada Lovelace,ada@example.de,en,premium_plus,\n"
        + "K-2002,Alan Turing,alan@example.de,en,none,\n"
    )
    report = run_import(db_session, second)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 1, 1, 0)
    customers = stored(db_session)
    assert customers["K-2001"].subscription.tier == "premium_plus"
    assert customers["K-2002"].updated_at == before


def test_a_rejected_row_leaves_the_stored_customer_as_it_was(db_session):
    add_customer(db_session, "K-3001", name="Greta Blum", subscription={"tier": "premium"})
    text = HEADER + "K-3001,Greta Blum-Neu,greta@,de,none,\n"
    report = run_import(db_session, text)

    assert report.rejected == 1 and report.updated == 0
    greta = stored(db_session)["K-3001"]
    assert greta.name == "Greta Blum"
    assert greta.email == "erika@example.de"
    assert greta.subscription.tier == "premium"


def test_spreadsheet_style_file_with_bom_and_semicolons(db_session):
    text = (
        "\ufeffAccount_Number;Name;Email;Language;Tier;Valid_Until\r\n"
        "K-4001;Jörg Weiß;joerg@example.de;de;premium;2026-01-31\r\n"
    )
    report = run_import(db_session, text)
    assert (report.created, report.rejected) == (1, 0)
    assert stored(db_session)["K-4001"].name == "Jörg Weiß"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("account_number,name,language,tier\n", "missing columns: email, valid_until"),
        (HEADER.strip() + ",phone\n", "unknown columns: phone"),
        ("", "the file is empty"),
    ],
)
def test_a_bad_header_stops_the_import_before_any_row(db_session, header, expected):
    text = header + "K-5001,Some One,one@example.de,de,none,\n" if header else ""
    with pytest.raises(ImportFileError, match=expected):
        run_import(db_session, text)
    assert db_session.scalar(select(func.count()).select_from(Customer)) == 0


def test_check_file_refuses_what_cannot_be_imported_whole(tmp_path: Path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "K-6001,Jörg,joerg@example.de,de,none,\n").encode("latin-1"))
    with pytest.raises(ImportFileError, match=r"not UTF-8 text \(line 2 "):
        check_file(latin1)

    with pytest.raises(ImportFileError, match="does not exist"):
        check_file(tmp_path / "missing.csv")

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "K-6002,Jana,jana@example.de,de,none,", encoding="utf-8")
    assert check_file(good) == 2


def test_a_broken_quote_rejects_its_own_line_and_every_other_line_is_accounted_for(db_session):
    text = (
        HEADER
        + "K-7001,Ada Lovelace,ada@example.de,en,none,\n"  # line 2
        + "K-7002,Alan Turing,alan@example.de,en,none,\n"  # 3
        + "K-7003,Grace Hopper,grace@example.de,en,none,\n"  # 4
        + 'K-7004,"Weber, Anna,anna@example.de,de,none,\n'  # 5: the quote is never closed
        + "K-7005,Emmy Noether,emmy@example.de,de,none,\n"  # 6
        + "K-7006,Lise Meitner,lise@example.de,de,none,\n"  # 7
        + "\n"  # 8: blank
        + "K-7007,Kurt Gödel,kurt@example,de,none,\n"  # 9: no top-level domain
        + '"K-7008","Roth, Lena",lena@example.de,,,\n'  # 10: its first quote closed line 5's
        + "K-7009,Hedy Lamarr,hedy@example.de,en,premium,\n"  # 11
    )
    report = run_import(db_session, text)

    outcomes = {result.line: result.outcome for result in report.results}
    assert outcomes == {
        2: "created",
        3: "created",
        4: "created",
        5: "rejected",
        6: "created",
        7: "created",
        8: "blank",
        9: "rejected",
        10: "created",
        11: "created",
    }
    reasons = {problem.line: problem.reason for problem in report.problems}
    assert "quote" in reasons[5] and "not closed" in reasons[5]
    assert "email" in reasons[9]
    assert report.summary() == (
        "created 7, updated 0, unchanged 0, rejected 2, blank 1 (10 lines after the header)"
    )
    assert sorted(stored(db_session)) == [
        "K-7001",
        "K-7002",
        "K-7003",
        "K-7005",
        "K-7006",
        "K-7008",
        "K-7009",
    ]


def test_stray_quotes_and_nul_bytes_reject_only_their_line(db_session):
    text = (
        HEADER
        + 'K-7101,"Ada" Lovelace,ada@example.de,en,none,\n'  # 2: text after a closing quote
        + "K-7102,Alan\x00Turing,alan@example.de,en,none,\n"  # 3: a NUL byte
        + "K-7103,Grace Hopper,grace@example.de,en,none,\n"  # 4
    )
    report = run_import(db_session, text)

    assert [(r.line, r.outcome) for r in report.results] == [
        (2, "rejected"),
        (3, "rejected"),
        (4, "created"),
    ]
