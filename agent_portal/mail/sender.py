"""Sending one e-mail: the `MailSender` interface and its SMTP implementation (the
standard library's smtplib). Blocking; the outbox worker calls it in a thread."""

from __future__ import annotations

import smtplib
import ssl
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from agent_portal.config import PortalSettings
from isp_common.email_addresses import EmailAddressInvalid, address_for_sending

SMTP_TIMEOUT_SECONDS = 30


class MailError(Exception):
    """The mail could not be handed over; the message says why (for the log)."""


class MailSender(ABC):
    @abstractmethod
    def send(self, *, to_address: str, subject: str, body: str) -> None:
        """Hands the mail over or raises MailError."""


@dataclass(frozen=True)
class SmtpSender(MailSender):
    host: str
    port: int
    from_address: str
    starttls: bool = False
    username: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings: PortalSettings) -> SmtpSender:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            from_address=settings.smtp_from,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
        )

    def send(self, *, to_address: str, subject: str, body: str) -> None:
        try:
            # ASCII forms where they exist: a server without SMTPUTF8 takes them too.
            sender, recipient = (
                address_for_sending(self.from_address),
                address_for_sending(to_address),
            )
        except EmailAddressInvalid as problem:
            raise MailError(f"{self.from_address!r} to {to_address!r}: {problem}") from None
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(f"{self.host}:{self.port}: {error}") from error
