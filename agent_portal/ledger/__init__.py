"""The ledger: the money core of paid sessions. Double-entry accounts in integer minor units,
two-phase transfers (a hold authorised, then posted for at most its amount or voided, once),
refunds as reversals, client-chosen idempotency keys on every command, and the check that
recomputes every balance from the entries (`agent-portal ledger-check`). docs/ledger.md."""
