"""`agent-portal ledger-check`: the ledger recomputed from its entries, every rule checked.

Goes through the transfers in the order they were written and stops at the first that
breaks a rule: its entries do not balance (debits = credits), an entry's account is in
another currency, a hold resolved more than once or its state disagrees with its
resolving transfer, a capture above its hold, refunds above their capture, a payout
not from an expert's earnings to a provider or above those earnings. Then the
balances: every account's is recomputed from its entries; the holds accounts must hold
exactly the open holds, and each currency's balances must add up to zero. (The ledger
keeps no stored balances: there is nothing else to compare.)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.ledger.models import Account, Entry, Hold, Transfer

RESOLVED_STATE = {"post": "posted", "void": "voided", "expire": "expired"}


@dataclass
class Report:
    transfers: int = 0
    entries: int = 0
    accounts: int = 0
    open_holds: int = 0
    balances: dict[str, int] = field(default_factory=dict)  # account code -> debits - credits
    problem: str | None = None
    bad_transfer: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check(*, db_session: Session) -> Report:
    report = Report()
    accounts = {account.id: account for account in db_session.scalars(select(Account))}
    report.accounts = len(accounts)
    holds = {hold.transfer_id: hold for hold in db_session.scalars(select(Hold))}
    entries_of: dict[int, list[Entry]] = defaultdict(list)
    for entry in db_session.scalars(select(Entry).order_by(Entry.id)):
        entries_of[entry.transfer_id].append(entry)
        report.entries += 1
    balances: dict[int, int] = defaultdict(int)
    resolutions: dict[int, Transfer] = {}
    captured: dict[int, int] = {}
    refunded: dict[int, int] = defaultdict(int)

    def bad(transfer: Transfer, problem: str) -> Report:
        report.bad_transfer = transfer.id
        report.problem = f"transfer {transfer.id} ({transfer.kind}): {problem}"
        return report

    for transfer in db_session.scalars(select(Transfer).order_by(Transfer.id)):
        report.transfers += 1
        own = entries_of.pop(transfer.id, [])
        debits = sum(entry.amount for entry in own if entry.debit)
        credits = sum(entry.amount for entry in own if not entry.debit)
        if not own or debits != credits:
            return bad(transfer, f"debits {debits} != credits {credits}")
        if any(entry.amount <= 0 for entry in own) or transfer.amount <= 0:
            return bad(transfer, "an amount that is not positive")
        for entry in own:
            if accounts[entry.account_id].currency != transfer.currency:
                return bad(
                    transfer,
                    f"an entry on {accounts[entry.account_id].code}, not in {transfer.currency}",
                )
            balances[entry.account_id] += entry.amount if entry.debit else -entry.amount
        if transfer.kind == "authorise":
            hold = holds.get(transfer.id)
            if hold is None or hold.amount != transfer.amount:
                return bad(transfer, "a hold whose row is missing or of another amount")
        elif transfer.kind in RESOLVED_STATE:
            hold = holds.get(transfer.hold_id)
            if hold is None:
                return bad(transfer, f"resolves {transfer.hold_id}, which is no hold")
            if transfer.hold_id in resolutions:
                return bad(transfer, f"resolves hold {transfer.hold_id} a second time")
            resolutions[transfer.hold_id] = transfer
            if hold.state != RESOLVED_STATE[transfer.kind]:
                return bad(transfer, f"hold {hold.transfer_id} says {hold.state}")
            if transfer.kind == "post":
                if transfer.amount > hold.amount:
                    return bad(transfer, f"captured {transfer.amount} above the hold {hold.amount}")
                captured[transfer.id] = transfer.amount
            elif transfer.amount != hold.amount:
                return bad(transfer, f"released {transfer.amount} of a hold of {hold.amount}")
        elif transfer.kind == "payout":
            kinds = sorted((accounts[e.account_id].kind, e.debit) for e in own)
            if kinds != [("expert_earnings", True), ("provider", False)]:
                return bad(transfer, "a payout not from an expert's earnings to a provider")
            earnings = next(e.account_id for e in own if e.debit)
            if balances[earnings] > 0:
                return bad(transfer, f"pays out more than {accounts[earnings].code} held")
        elif transfer.kind == "refund":
            if transfer.reverses_id not in captured:
                return bad(transfer, f"refunds {transfer.reverses_id}, which is no earlier capture")
            refunded[transfer.reverses_id] += transfer.amount
            if refunded[transfer.reverses_id] > captured[transfer.reverses_id]:
                return bad(
                    transfer,
                    f"refunds {refunded[transfer.reverses_id]} in all of a "
                    f"capture of {captured[transfer.reverses_id]}",
                )
    if entries_of:
        report.problem = f"entries of transfers that do not exist: {sorted(entries_of)[:5]}"
        return report
    for hold in holds.values():
        if (hold.state == "pending") != (hold.transfer_id not in resolutions):
            report.bad_transfer = hold.transfer_id
            report.problem = f"transfer {hold.transfer_id} (authorise): hold says {hold.state}"
            return report
    open_holds: dict[str, int] = defaultdict(int)
    for hold in holds.values():
        if hold.state == "pending":
            report.open_holds += 1
            open_holds[hold.currency] += hold.amount
    per_currency: dict[str, int] = defaultdict(int)
    for account_id, total in balances.items():
        account = accounts[account_id]
        per_currency[account.currency] += total
        if account.kind == "holds" and -total != open_holds[account.currency]:
            report.problem = (
                f"{account.code} holds {-total}, the open holds come to "
                f"{open_holds[account.currency]}"
            )
            return report
    for currency, total in per_currency.items():
        if total != 0:
            report.problem = f"the balances in {currency} add up to {total}, not 0"
            return report
    report.balances = {accounts[account_id].code: total for account_id, total in balances.items()}
    return report
