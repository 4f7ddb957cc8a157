"""A real SMTP server on a loopback port (aiosmtpd) that keeps what it receives, speaking
plain text, STARTTLS or implicit TLS, and answering RCPT or DATA as a test tells it."""

from __future__ import annotations

import email
import email.policy
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.support.postgres import free_port


class Mailbox:
    def __init__(self, answers: dict[str, str] | None = None) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.answers = dict(answers or {})
        """``{"RCPT": "550 5.1.1 No such user"}``: that answer to the command (MAIL, RCPT
        or DATA) instead of accepting."""
        self.mails_begun: list[str] = []
        """The sender of each MAIL FROM the server was given."""
        self.greetings: list[str] = []
        """The name the client gave in its EHLO (or HELO), for each MAIL FROM."""
        self._lock = threading.Lock()

    async def handle_MAIL(self, _server, session, envelope, address, options) -> str:  # noqa: N802
        with self._lock:
            self.mails_begun.append(address)
            self.greetings.append(session.host_name)
        if answer := self.answers.get("MAIL"):
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, _server, _session, envelope, address, _options) -> str:  # noqa: N802
        if answer := self.answers.get("RCPT"):
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if answer := self.answers.get("DATA"):
            return answer
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


@contextmanager
def smtp_server(
    port: int | None = None,
    *,
    answers: dict[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
    starttls: ssl.SSLContext | None = None,
    smtputf8: bool = True,
) -> Iterator[tuple[Mailbox, int]]:
    """``tls``: implicit TLS from the first byte (port 465); ``starttls``: plain text that
    requires STARTTLS before mail; ``smtputf8``: whether the server offers SMTPUTF8."""
    mailbox = Mailbox(answers)
    port = port or free_port()
    extra = {"tls_context": starttls, "require_starttls": True} if starttls else {}
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=tls,
        enable_SMTPUTF8=smtputf8,
        # Named, so it does not look up this machine's name for each connection.
        server_hostname="mailbox.example.net",
        **extra,
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()
