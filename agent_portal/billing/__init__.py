"""Billing: how paid sessions are paid (`docs/billing.md`). The built-in way is the
customer's monthly ISP bill: every captured charge, tip and refund of a paid session is
offered once, in a stable order, to the ISP's back end as a feed it books and
acknowledges. A small payment-provider interface (`providers.py`) names what any provider
does (authorise, capture, void, refund); the ISP bill's is written on the ledger. Admins
see the sessions' money, refund, and the platform's fee income per month."""
