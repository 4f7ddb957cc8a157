"""What the ledger refuses. Each refusal is its own class with a stable `code` (as
TigerBeetle names its results), an `ApiError`, so a route answers it as it is. A refused
command stores nothing.

LedgerError                       400 ledger_refused
├── InvalidAmount                 400 invalid_amount: zero, negative or not a whole number
├── InvalidCurrency               400 invalid_currency: not an ISO 4217 code
├── CurrencyMismatch              400 currency_mismatch: accounts of different currencies
├── UnknownAccount                404 unknown_account
├── UnknownTransfer               404 unknown_transfer: no such hold or posted transfer
├── SpendingLimitExceeded         402 spending_limit_exceeded: the hold would pass the limit
├── ExceedsHold                   409 exceeds_pending_transfer_amount: capture above the hold
├── SplitMismatch                 400 split_mismatch: the parts do not add up
├── HoldAlreadyResolved           409 pending_transfer_already_resolved (its state said)
├── HoldExpired                   409 pending_transfer_expired
├── ExceedsCapture                409 exceeds_captured_amount: refund above what is left
├── ExceedsEarnings               409 exceeds_earnings: payout above the expert's earnings
└── IdempotencyConflict           409 idempotency_key_reused: same key, other content
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError


class LedgerError(ApiError):
    status_code = 400
    code = "ledger_refused"


class InvalidAmount(LedgerError):
    code = "invalid_amount"


class InvalidCurrency(LedgerError):
    code = "invalid_currency"


class CurrencyMismatch(LedgerError):
    code = "currency_mismatch"


class UnknownAccount(LedgerError):
    status_code = 404
    code = "unknown_account"


class UnknownTransfer(LedgerError):
    status_code = 404
    code = "unknown_transfer"


class SpendingLimitExceeded(LedgerError):
    status_code = 402
    code = "spending_limit_exceeded"


class ExceedsHold(LedgerError):
    status_code = 409
    code = "exceeds_pending_transfer_amount"


class SplitMismatch(LedgerError):
    code = "split_mismatch"


class HoldAlreadyResolved(LedgerError):
    status_code = 409
    code = "pending_transfer_already_resolved"

    def __init__(self, detail: str, *, state: str) -> None:
        super().__init__(detail, state=state)
        self.state = state


class HoldExpired(LedgerError):
    status_code = 409
    code = "pending_transfer_expired"


class ExceedsCapture(LedgerError):
    status_code = 409
    code = "exceeds_captured_amount"


class ExceedsEarnings(LedgerError):
    status_code = 409
    code = "exceeds_earnings"


class IdempotencyConflict(LedgerError):
    status_code = 409
    code = "idempotency_key_reused"
