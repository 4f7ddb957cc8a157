"""Invoices and credit notes of paid expert sessions: after a session with a charge, the
customer gets an invoice and the expert a credit note, each a PDF with a number of its
series without gaps, sent by e-mail through the outbox (`docs/invoices.md`)."""
