"""Consent, one domain for every kind: a diagnostics report, a screen view, remote control
and a call are each asked for (who asks, whom, what kind, why, until when), answered by the
customer or not (no answer is a refusal, never a grant), possibly revoked, and recorded
step by step. Whatever is relayed under a consent passes `service.require_active` first.
The record shows on the customer's page in the portal."""
