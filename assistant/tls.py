"""The one TLS context every connection of the assistant to the provider's portal uses.

Building a context reads the system's certificate store, tens of milliseconds of a slow
computer's processor; the assistant opens one HTTP client per kind of conversation with the
portal (subscription, experts, appointments, invoices, ratings, knowledge, provider
settings), and they all trust the same certificates. A context may serve several clients
and threads at once."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def portal_tls() -> ssl.SSLContext:
    """The system's trusted certificates (or those SSL_CERT_FILE names), built once."""
    return httpx.create_ssl_context()
