"""E-mail addresses as people type them: checked and normalised the same way wherever the
product takes one (email-validator).

- Domains follow IDNA 2008 and UTS #46: `straße.de` stays `straße.de` (IDNA 2003 read it
  as `strasse.de`, another domain), symbols and invisible characters are refused, and the
  ASCII form `xn--strae-oqa.de` is the same address as its Unicode form.
- The part before the @ may have letters beyond ASCII (RFC 6531); such an address can
  only be sent to through a mail server that offers SMTPUTF8, which `EmailAddress.ascii`
  being None tells.
- Shape only: no DNS look-up, so nothing here depends on the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email


class EmailAddressInvalid(ValueError):
    """The text is no usable e-mail address; the message says what is wrong with it."""


@dataclass(frozen=True)
class EmailAddress:
    normalized: str  # how people read it: Unicode domain in lower case
    ascii: str | None  # for mail servers without SMTPUTF8; None when that cannot be


def check_email_address(text: str) -> EmailAddress:
    """The address in its normal forms, or EmailAddressInvalid saying what is wrong."""
    try:
        valid = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=True,
            strict=True,  # also the lengths of RFC 5321 (64 before the @)
        )
    except EmailNotValidError as error:
        raise EmailAddressInvalid(str(error)) from None
    return EmailAddress(normalized=valid.normalized, ascii=valid.ascii_email)


def address_for_sending(text: str) -> str:
    """The form to hand to a mail server: ASCII where the address allows it, so a server
    without SMTPUTF8 still takes `kunde@straße.de` (as `kunde@xn--strae-oqa.de`)."""
    address = check_email_address(text)
    return address.ascii or address.normalized
