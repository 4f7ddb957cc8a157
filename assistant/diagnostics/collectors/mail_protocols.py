"""Greeting a mail server and starting TLS on it, through the standard library's clients.

`smtplib`, `imaplib` and `poplib` read multi-line answers (SMTP's ``220-`` greetings),
refuse over-long lines and time out every read; this module only says which client to
open and whether to start TLS. Each function returns once the server has greeted (and,
for ``security="starttls"``, once TLS is up) and closes the connection, or raises.
"""

from __future__ import annotations

import contextlib
import imaplib
import poplib
import smtplib
import ssl
from collections.abc import Callable

from assistant.diagnostics.settings import MailServer

# Our name in SMTP's EHLO. Given, so smtplib does not ask the DNS for this computer's
# full name first (a reverse lookup that may hang on a broken DNS).
HELO_NAME = "isp-assistant.invalid"

# What the clients raise when a server answers wrongly, too long, not at all or closes.
# ValueError: a capability list that is not ASCII.
PROTOCOL_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    EOFError,
    smtplib.SMTPException,
    imaplib.IMAP4.error,
    poplib.error_proto,
)


class StartTlsNotOffered(Exception):
    """The server does not list STARTTLS (POP3: STLS) among its capabilities."""


class StartTlsRefused(Exception):
    """The server lists STARTTLS but answered the command with an error."""


def describe(error: BaseException) -> str:
    """What the server said (or what went wrong), short enough for a report."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif error.args and isinstance(error.args[0], bytes):  # imaplib and poplib: the line
        text = _text(error.args[0])
    else:
        text = str(error) or type(error).__name__
    return text[:200]


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def greet(server: MailServer, context: ssl.SSLContext, timeout: float) -> None:
    """Connects, reads the greeting, starts TLS where the settings ask for it, hangs up."""
    _GREET[server.protocol](server, context, timeout)


def _smtp(server: MailServer, context: ssl.SSLContext, timeout: float) -> None:
    address = {"host": server.host, "port": server.port, "local_hostname": HELO_NAME}
    if server.security == "ssl":
        client = smtplib.SMTP_SSL(**address, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(**address, timeout=timeout)
    with contextlib.closing(client):
        if server.security != "starttls":
            return
        client.ehlo()
        if not client.has_extn("starttls"):
            raise StartTlsNotOffered("STARTTLS is not among the server's capabilities")
        try:
            client.starttls(context=context)
        except smtplib.SMTPResponseException as err:
            raise StartTlsRefused(describe(err)) from err


def _imap(server: MailServer, context: ssl.SSLContext, timeout: float) -> None:
    if server.security == "ssl":
        client = imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=timeout)
    else:
        client = imaplib.IMAP4(server.host, server.port, timeout=timeout)
    try:
        if server.security != "starttls":
            return
        if "STARTTLS" not in client.capabilities:
            raise StartTlsNotOffered("STARTTLS is not among the server's capabilities")
        try:
            client.starttls(ssl_context=context)
        except imaplib.IMAP4.abort:
            raise  # the connection broke: no answer to report
        except imaplib.IMAP4.error as err:
            raise StartTlsRefused(describe(err)) from err
    finally:
        with contextlib.suppress(OSError):
            client.shutdown()


class _ClosedOnRefusal:
    """poplib leaves the connection open when it raises over the greeting; this closes it."""

    def __init__(self, *args, **kwargs) -> None:
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            if getattr(self, "file", None) is not None:
                self.close()
            raise


class _POP3(_ClosedOnRefusal, poplib.POP3):
    pass


class _POP3_SSL(_ClosedOnRefusal, poplib.POP3_SSL):  # noqa: N801 (poplib's name)
    pass


def _pop3(server: MailServer, context: ssl.SSLContext, timeout: float) -> None:
    if server.security == "ssl":
        client = _POP3_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        client = _POP3(server.host, server.port, timeout=timeout)
    with contextlib.closing(client):
        if server.security != "starttls":
            return
        try:
            capabilities = client.capa()
        except poplib.error_proto as err:  # no CAPA command: no way to offer STLS either
            raise StartTlsNotOffered(describe(err)) from err
        if "STLS" not in capabilities:
            raise StartTlsNotOffered("STLS is not among the server's capabilities")
        try:
            client.stls(context=context)
        except poplib.error_proto as err:
            raise StartTlsRefused(describe(err)) from err


_GREET: dict[str, Callable[[MailServer, ssl.SSLContext, float], None]] = {
    "smtp": _smtp,
    "imap": _imap,
    "pop3": _pop3,
}
