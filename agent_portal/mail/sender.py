"""Sending one e-mail: the `MailSender` interface and its SMTP implementation (the
standard library's smtplib). Blocking; the outbox worker calls it in a thread.

Errors::

    MailError          not handed over this time; the outbox tries again later
    └── MailRejected   the server refused this mail for good (a 5xx answer)
"""

from __future__ import annotations

import functools
import smtplib
import socket
import ssl
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from agent_portal.config import PortalSettings
from agent_portal.mail.service import Attachment
from isp_common.email_addresses import EmailAddressInvalid, address_for_sending

SMTP_TIMEOUT_SECONDS = 30

SmtpSecurity = Literal["none", "starttls", "tls"]


class MailError(Exception):
    """The mail could not be handed over; the message says why (for the log)."""


class MailRejected(MailError):
    """The server refused this mail for good: a 5xx answer (RFC 5321 4.2.1) to its sender,
    a recipient or its content, so the same mail would only be refused again.

    A 5xx to the greeting, the login or STARTTLS is not this: it speaks of the portal's
    settings or the server's state, and the mail goes out once that is fixed.
    """


# smtplib's errors for answers to the mail's own commands: MAIL FROM, RCPT TO, DATA.
_ABOUT_THE_MAIL = (
    smtplib.SMTPSenderRefused,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPDataError,
)


@dataclass(frozen=True)
class SmtpReply:
    code: int
    text: str

    @property
    def permanent(self) -> bool:
        return 500 <= self.code <= 599

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


def server_reply(error: smtplib.SMTPException) -> SmtpReply | None:
    """The server's answer inside smtplib's error, if the error carries one."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):  # one entry: we send to one address
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return None
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return SmtpReply(code, text)


class MailSender(ABC):
    @abstractmethod
    def send(
        self,
        *,
        to_address: str,
        subject: str,
        body: str,
        from_name: str | None = None,
        reply_to: str | None = None,
        calendar: str | None = None,
        attachment: Attachment | None = None,
    ) -> None:
        """Hands the mail over or raises MailError (MailRejected when refused for good).
        `from_name` is shown beside the portal's own address; `reply_to` is where a reply
        goes (a relayed conversation's reply address); `calendar`, an iCalendar object
        (RFC 5545) attached as `appointment.ics` with its METHOD; `attachment`, a file
        sent with it (an invoice's PDF)."""


@dataclass(frozen=True)
class SmtpSender(MailSender):
    host: str
    port: int
    from_address: str
    security: SmtpSecurity = "none"
    username: str = ""
    password: str = ""
    tls_context: ssl.SSLContext | None = None
    """Whom to trust for TLS; None: the system's certificate authorities."""
    helo_name: str = ""
    """The name given in EHLO; empty: this machine's full name (`machine_name`)."""

    @classmethod
    def from_settings(cls, settings: PortalSettings) -> SmtpSender:
        ca_file = settings.smtp_ca_file
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            from_address=settings.smtp_from,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            tls_context=trusted_authorities(str(ca_file)) if ca_file else None,
            helo_name=settings.smtp_helo_name,
        )

    def send(
        self,
        *,
        to_address: str,
        subject: str,
        body: str,
        from_name: str | None = None,
        reply_to: str | None = None,
        calendar: str | None = None,
        attachment: Attachment | None = None,
    ) -> None:
        try:
            # ASCII forms where they exist: a server without SMTPUTF8 takes them too.
            sender, recipient = (
                address_for_sending(self.from_address),
                address_for_sending(to_address),
            )
            reply_address = address_for_sending(reply_to) if reply_to else None
        except EmailAddressInvalid as problem:
            raise MailError(f"{self.from_address!r} to {to_address!r}: {problem}") from None
        message = EmailMessage()
        message["From"] = _with_name(sender, from_name)
        message["To"] = recipient
        if reply_address:
            message["Reply-To"] = reply_address
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message.set_content(body)
        if calendar:
            _attach_calendar(message, calendar)
        if attachment:
            maintype, _, subtype = attachment.media_type.partition("/")
            message.add_attachment(
                attachment.content,
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=attachment.name,
            )
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password)
                # The envelope's sender is the portal's own address, whatever the From shows.
                smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPException as error:
            reply = server_reply(error)
            where = f"{self.host}:{self.port}"
            text = f"{where} answered: {reply}" if reply else f"{where}: {error}"
            if reply and reply.permanent and isinstance(error, _ABOUT_THE_MAIL):
                raise MailRejected(text) from error
            raise MailError(text) from error
        except OSError as error:  # no connection, timeout, TLS handshake or certificate
            raise MailError(f"{self.host}:{self.port}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        context = self.tls_context or trusted_authorities(None)
        # Given, or smtplib would look up this machine's name again for every mail.
        greeting = {"local_hostname": self.helo_name or machine_name()}
        if self.security == "tls":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context, **greeting
            )
        smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, **greeting)
        if self.security == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp


@functools.cache
def machine_name() -> str:
    """What smtplib greets with when given no name: this machine's fully qualified name,
    or, when it has no domain, its address in brackets. Looked up once: where reverse DNS
    is slow, the lookup takes seconds."""
    name = socket.getfqdn()
    if "." in name:
        return name
    try:
        return f"[{socket.gethostbyname(socket.gethostname())}]"
    except OSError:
        return "[127.0.0.1]"


@functools.cache
def trusted_authorities(ca_file: str | None) -> ssl.SSLContext:
    """The certificate authorities a mail server's certificate must come from: those in
    `ca_file`, or the system's. Built once per file: reading the system's store takes tens
    of milliseconds, and the outbox is looked at every few seconds."""
    return ssl.create_default_context(cafile=ca_file)


def _attach_calendar(message: EmailMessage, calendar: str) -> None:
    """The appointment as a file calendars open, with the METHOD it states (REQUEST or
    CANCEL) also in its content type, as RFC 6047 asks."""
    method = "REQUEST"
    for line in calendar.splitlines():
        if line.upper().startswith("METHOD:"):
            method = line.partition(":")[2].strip().upper()
            break
    message.add_attachment(
        calendar.encode("utf-8"),
        maintype="text",
        subtype="calendar",
        filename="appointment.ics",
        params={"method": method, "charset": "utf-8"},
    )


def _with_name(address: str, name: str | None) -> Address | str:
    """`"Anna Berger" <support@…>`: the name quoted and encoded as the headers need, on one
    line (line breaks and other control characters become spaces), at most 100 characters."""
    name = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name or "")
    name = " ".join(name.split())[:100]
    if not name:
        return address
    local, _at, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)
