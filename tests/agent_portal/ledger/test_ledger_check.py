"""`agent-portal ledger-check` on a real database: a sound ledger passes with a summary;
a row corrupted behind the ledger's back (an entry added, a hold's state or amount
changed, a capture or a refund raised with the append-only triggers out of the way) fails
with exit status 1 and names the first bad transfer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from agent_portal.cli import main
from agent_portal.ledger import service

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def portal_env(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def ledger(ledger_sessions, portal_env) -> dict[str, int]:
    """A hold posted and partly refunded, one voided, one still open."""
    with ledger_sessions() as db:

        def authorise(key, amount):
            return service.authorise(
                db_session=db,
                idempotency_key=key,
                customer_id=42,
                currency="CHF",
                amount=amount,
                now=NOW,
                expires_in=timedelta(hours=1),
            )

        posted_hold = authorise("h-1", 1000)
        parts = service.session_parts(800, expert_id=7, currency="CHF", fee_percent=Decimal(20))
        posted = service.post(
            db_session=db, idempotency_key="p-1", hold_id=posted_hold.id, parts=parts, now=NOW
        )
        refund = service.refund(
            db_session=db,
            idempotency_key="r-1",
            posted_id=posted.id,
            amount=300,
            reason="Call dropped",
            actor_staff_id=1,
            now=NOW,
        )
        voided_hold = authorise("h-2", 400)
        service.void(db_session=db, idempotency_key="v-1", hold_id=voided_hold.id, now=NOW)
        open_hold = authorise("h-3", 250)
        db.commit()
        return {
            "posted_hold": posted_hold.id,
            "post": posted.id,
            "refund": refund.id,
            "open_hold": open_hold.id,
            "spending": posted.entries[1].account_id,  # the released rest of the hold
        }


def corrupt(ledger_sessions, *statements, **values) -> None:
    with ledger_sessions() as db:
        postgres = db.get_bind().dialect.name == "postgresql"
        for table in ("ledger_transfers", "ledger_entries"):
            if postgres:
                db.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
            else:
                db.execute(text(f"DROP TRIGGER {table}_no_update"))
        for statement in statements:
            db.execute(text(statement), values)
        db.commit()


def test_a_sound_ledger_passes_with_a_summary(ledger, capsys):
    assert main(["ledger-check"]) == 0
    out = capsys.readouterr().out
    assert "Ledger check passed: 6 transfers" in out
    assert "1 open holds" in out


@pytest.mark.parametrize(
    ("statements", "named", "problem"),
    [
        (
            [
                "INSERT INTO ledger_entries (transfer_id, account_id, debit, amount) "
                "VALUES (:post, :spending, true, 1)"
            ],
            "post",
            "debits 1001 != credits 1000",
        ),
        (
            ["UPDATE ledger_holds SET state = 'pending' WHERE transfer_id = :posted_hold"],
            "post",
            "says pending",
        ),
        (
            ["UPDATE ledger_holds SET amount = 900 WHERE transfer_id = :posted_hold"],
            "posted_hold",
            "another amount",
        ),
        (
            ["UPDATE ledger_transfers SET amount = 1001 WHERE id = :post"],
            "post",
            "captured 1001 above the hold 1000",
        ),
        (
            [
                "UPDATE ledger_transfers SET amount = 801 WHERE id = :refund",
                "UPDATE ledger_entries SET amount = amount + 501 WHERE transfer_id = :refund "
                "AND debit = false",
            ],
            "refund",
            "debits",
        ),
        (
            ["UPDATE ledger_holds SET state = 'voided' WHERE transfer_id = :open_hold"],
            "open_hold",
            "hold says voided",
        ),
    ],
)
def test_a_corrupted_row_fails_the_check_naming_the_transfer(
    ledger, ledger_sessions, capsys, statements, named, problem
):
    corrupt(ledger_sessions, *statements, **ledger)
    assert main(["ledger-check"]) == 1
    err = capsys.readouterr().err
    assert f"transfer {ledger[named]} " in err
    assert problem in err


def test_a_refund_above_its_capture_fails_the_check(ledger, ledger_sessions, capsys):
    """Balanced, but refunding more in all than was captured."""
    corrupt(
        ledger_sessions,
        "UPDATE ledger_transfers SET amount = 801 WHERE id = :refund",
        **ledger,
    )
    assert main(["ledger-check"]) == 1
    err = capsys.readouterr().err
    assert f"transfer {ledger['refund']} (refund): refunds 801 in all of a capture of 800" in err


def test_a_payout_passes_and_one_above_the_earnings_fails(ledger, ledger_sessions, capsys):
    from agent_portal.ledger import accounts
    from agent_portal.ledger.payouts import payout

    with ledger_sessions() as db:
        earned = -accounts.balance(db_session=db, code=accounts.expert_earnings(7, "CHF"))
        paid = payout(
            db_session=db,
            idempotency_key="payout-1",
            expert_id=7,
            currency="CHF",
            amount=earned,
            reason="payout 2026-11",
            actor_staff_id=1,
            now=NOW,
        ).id
        db.commit()
    assert main(["ledger-check"]) == 0
    assert "Ledger check passed: 7 transfers" in capsys.readouterr().out
    corrupt(
        ledger_sessions,
        "UPDATE ledger_transfers SET amount = amount + 1 WHERE id = :paid",
        "UPDATE ledger_entries SET amount = amount + 1 WHERE transfer_id = :paid",
        paid=paid,
    )
    assert main(["ledger-check"]) == 1
    said = capsys.readouterr()
    assert f"transfer {paid} (payout): pays out more than expert:7:earnings:CHF held" in (
        said.out + said.err
    )
