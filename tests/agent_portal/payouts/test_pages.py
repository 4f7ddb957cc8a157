"""The payout pages over HTTP (SQLite, like every page test): an expert reads their own
month as a page, CSV and PDF, never another's; an admin sees every expert's month and
marks it paid out once, the second time told why not, in German too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.agent_portal.invoices.sessions import ended_session, pdf_text, people

pytestmark = pytest.mark.usefixtures("portal")

PERIOD = "2025-11"


@pytest.fixture
def month(world, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("pages are tested over HTTP on SQLite; their services on both")
    expert = world.browser("anna.berger", "expert")
    other = world.browser("ben.keller", "expert")
    admin = world.browser("ada.admin", "admin")
    with world.session() as db_session:
        who = people(db_session, staff=expert.member)
        ended_session(
            db_session, who, amount=3000, tip=500, ended_at=datetime(2025, 11, 10, 9, tzinfo=UTC)
        )
    return expert, other, admin


def test_an_expert_reads_their_month_as_page_csv_and_pdf(month):
    expert, _other, _admin = month
    path = f"/portal/payouts/{PERIOD}/{expert.member.id}"
    page = expert.client.get(path)
    assert page.status_code == 200
    assert "CHF" in page.text and "Net payout" in page.text
    assert "Mark 2025-11 paid out" not in page.text  # only admins mark payouts
    listing = expert.client.get("/portal/payouts")
    assert f'href="{path}"' in listing.text
    answer = expert.client.get(path + "/report.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Month" and rows[-1][2] == "Total"
    # 3000 + 500 captured, 20 % fee and 8.1 % tax (the test settings' split) aside.
    total = rows[-1]
    assert total[6:9] == ["30.00", "0.00", "5.00"]
    assert float(total[-1]) == float(total[11]) > 0
    german = expert.client.get(path + "/report.pdf", headers={"Accept-Language": "de"})
    assert german.headers["content-type"] == "application/pdf"
    text = pdf_text(german.content)
    assert "Auszahlungsbericht 2025-11" in text and "30,00\xa0CHF" in text


def test_another_experts_report_is_refused(month):
    expert, other, _admin = month
    for suffix in ("", "/report.csv", "/report.pdf"):
        answer = other.client.get(f"/portal/payouts/{PERIOD}/{expert.member.id}{suffix}")
        assert answer.status_code == 403
        assert "You can only see your own payouts." in answer.text


def test_an_unknown_month_is_refused(month):
    _expert, _other, admin = month
    answer = admin.client.get("/portal/payouts/2025-13/1")
    assert answer.status_code == 404
    assert "give a month as YYYY-MM" in answer.text


def test_an_admin_marks_a_month_paid_out_once(month):
    expert, _other, admin = month
    overview = admin.client.get(f"/portal/payouts?period={PERIOD}")
    assert "Anna Berger" in overview.text and "Not paid out yet" in overview.text
    path = f"/portal/payouts/{PERIOD}/{expert.member.id}"
    answer = admin.post(path + "/paid")
    assert answer.status_code == 303 and answer.headers["location"] == path
    page = admin.client.get(path)
    assert "is marked paid out" in page.text and "Paid out on" in page.text
    again = admin.post(path + "/paid", headers={"Accept-Language": "de"})
    assert again.status_code == 409
    assert "wurde bereits ausbezahlt" in again.text
