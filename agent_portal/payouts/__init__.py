"""Payouts to experts: per expert and month, what their paid sessions earned, the
platform's fee, tips, waivers, refunds and the net payout, read from the ledger; an admin
marks a month paid out once, which is a ledger payout (`docs/payouts.md`)."""
