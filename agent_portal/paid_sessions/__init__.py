"""Paid expert sessions: the fee meter between an expert and a customer, from the
customer's confirmed maximum to the summary (`docs/paid-sessions.md`)."""
