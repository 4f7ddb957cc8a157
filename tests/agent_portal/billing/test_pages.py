"""Admins' payments pages over HTTP: every paid session with its money, the filters, the
fee income per month as a chart with its table, and a refund with a reason that goes
through once (post/redirect/get) and is refused clearly above what was captured."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.pages

BILLING = "/portal/admin/billing"


def _row(html: str, session_id: int) -> str:
    match = re.search(rf'<tr data-session-id="{session_id}">(.*?)</tr>', html, re.S)
    assert match, f"session {session_id} is not listed"
    return match.group(1)


def test_the_admin_sees_each_sessions_money_and_filters_them(world):
    admin = world.browser("ada.admin", "admin")
    erika = world.customer("K-100234")
    max_ = world.customer("K-200345")
    first = world.paid_session(erika, amount=1200, waived=200, tip=300)
    second = world.paid_session(max_, "otto.expert", amount=800, tip=0)

    page = admin.client.get(BILLING)
    assert page.status_code == 200
    row = _row(page.text, first)
    for shown in (
        "K-100234",
        "CHF\xa012.00",
        "CHF\xa02.00",
        "CHF\xa03.00",
        "CHF\xa010.00",
        "CHF\xa02.60",
    ):
        assert shown in row, f"{shown} missing in {row}"
    assert "K-200345" in _row(page.text, second)
    assert 'data-testid="fee-chart"' in page.text and "<svg" in page.text
    assert "CHF\xa04.20" in page.text, "this month's fee income in the chart's table"

    only_erika = admin.client.get(BILLING, params={"account": "k-100234"})
    assert f'data-session-id="{first}"' in only_erika.text
    assert f'data-session-id="{second}"' not in only_erika.text
    refunded_only = admin.client.get(BILLING, params={"refunded": "1"})
    assert 'data-testid="no-sessions"' in refunded_only.text
    bad_date = admin.client.get(BILLING, params={"ended_from": "gestern"})
    assert bad_date.status_code == 200
    assert "Enter the dates as year-month-day" in bad_date.text

    german = admin.client.get(BILLING, headers={"Accept-Language": "de"})
    assert "Gebühreneinnahmen der Plattform pro Monat" in german.text
    assert "12,00" in _row(german.text, first)


def test_a_refund_goes_through_once_and_too_much_is_refused(world):
    admin = world.browser("ada.admin", "admin")
    session_id = world.paid_session(world.customer("K-100234"), amount=1200, tip=300)
    path = f"{BILLING}/sessions/{session_id}"
    form = admin.client.get(path)
    key = re.search(r'name="refund_key" value="([^"]+)"', form.text).group(1)
    data = {"part": "charge", "amount": "2.50", "reason": "Abbruch", "refund_key": key}

    done = admin.post(f"{path}/refund", data)
    assert done.status_code == 303 and done.headers["location"] == path
    again = admin.post(f"{path}/refund", data)  # the same form sent twice
    assert again.status_code == 303
    shown = admin.client.get(path)
    assert "CHF\xa02.50 refunded." in shown.text
    assert shown.text.count("Abbruch") == 1, "the second send refunded nothing"
    assert world.audit_count("billing_refunded") == 1
    assert 'data-field="refunded">CHF\xa02.50' in shown.text

    too_much = admin.post(
        f"{path}/refund", {"part": "charge", "amount": "9.51", "reason": "Abbruch"}
    )
    assert too_much.status_code == 409
    assert "more than is left of what was captured (CHF\xa09.50)" in too_much.text
    german = admin.client.post(
        f"{path}/refund",
        data={"csrf_token": admin.csrf_token, "part": "tip", "amount": "x", "reason": "r"},
        headers={"Accept-Language": "de"},
    )
    assert german.status_code == 400
    assert "positive Zahl" in german.text
    # The first form sent again with another amount (the browser's back button): the
    # ledger refuses the reused key, in the admin's language, and nothing is refunded.
    changed = {**data, "amount": "3.00", "csrf_token": admin.csrf_token}
    for language, words in (("de", "mit anderen Werten gesendet"), ("en", "other values")):
        reused = admin.client.post(
            f"{path}/refund", data=changed, headers={"Accept-Language": language}
        )
        assert reused.status_code == 409
        assert reused.text.count(words) == 1, language  # beside the form, not twice
    assert 'data-field="refunded">CHF\xa02.50' in admin.client.get(path).text


def test_only_admins_see_the_payments(world):
    agent = world.browser("anna.berger", "agent")
    assert agent.client.get(BILLING).status_code == 403
    admin = world.browser("ada.admin", "admin")
    missing = admin.client.get(f"{BILLING}/sessions/4242")
    assert missing.status_code == 404
    assert "There is no paid session 4242." in missing.text


def test_the_admin_resolves_a_customers_dispute_once(world):
    admin = world.browser("ada.admin", "admin")
    session_id = world.paid_session(world.customer("K-100234"))
    world.dispute(session_id, "Die Verbindung brach ab.")
    listed = admin.client.get(BILLING)
    assert "1 dispute waits for a decision." in listed.text
    waiting = admin.client.get(BILLING, params={"disputed": "1"})
    assert f'data-session-id="{session_id}"' in waiting.text
    path = f"{BILLING}/sessions/{session_id}"
    assert "Die Verbindung brach ab." in admin.client.get(path).text

    no_choice = admin.post(f"{path}/dispute/resolve", {"resolution": "", "note": ""})
    assert no_choice.status_code == 400
    assert "refund or was rejected" in no_choice.text
    done = admin.post(f"{path}/dispute/resolve", {"resolution": "refunded", "note": "Erstattet"})
    assert done.status_code == 303
    page = admin.client.get(path)
    assert "The dispute is resolved." in page.text
    assert 'data-testid="dispute-resolution"' in page.text
    assert world.audit_count("billing_dispute_resolved") == 1
    twice = admin.post(f"{path}/dispute/resolve", {"resolution": "rejected", "note": ""})
    assert twice.status_code == 409
    assert "resolved before" in twice.text
    assert 'data-testid="open-disputes"' not in admin.client.get(BILLING).text
