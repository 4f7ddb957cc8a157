"""How a customer proves who they are when linking a device: a password the ISP's back end
sets through provisioning (hashed with argon2id, like staff passwords), or a one-time
activation code the ISP sends (shown once, stored as a keyed hash, single use).

Functions that change something add to the caller's transaction; the provisioning routes
commit. When a customer's personal data is erased, both are forgotten (`forget`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from agent_portal.auth import security
from agent_portal.customers.models import Customer
from agent_portal.devices.errors import CredentialRejected
from agent_portal.devices.models import ActivationCode, CustomerCredential
from agent_portal.server_keys import ServerKeys
from isp_common.i18n import N_

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
# No 0/O, 1/I/L: activation codes are typed from a letter. 12 characters of 31: 59 bits.
ACTIVATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACTIVATION_LENGTH = 12
_SEPARATORS = re.compile(r"[\s\-./]+")


def set_password(
    *, db_session: Session, customer: Customer, password: str, now: datetime
) -> CustomerCredential:
    """Sets (or replaces) the customer's password; CredentialRejected names what is wrong."""
    if not password or not password.strip():
        raise CredentialRejected(N_("The password is empty."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CredentialRejected(
            N_("The password is too short: it needs at least %(length)s characters."),
            length=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise CredentialRejected(
            N_("The password is too long: at most %(length)s characters."),
            length=MAX_PASSWORD_LENGTH,
        )
    credential = db_session.get(CustomerCredential, customer.id)
    if credential is None:
        credential = CustomerCredential(customer_id=customer.id)
        db_session.add(credential)
    credential.password_hash = security.hash_password(password)
    credential.updated_at = now
    return credential


def password_matches(*, db_session: Session, customer: Customer | None, password: str) -> bool:
    """Checks against a dummy hash when there is no customer or password, so an unknown
    account number takes as long as a wrong password."""
    credential = db_session.get(CustomerCredential, customer.id) if customer else None
    return security.verify_password(credential.password_hash if credential else None, password)


def normalise_activation_code(code: str) -> str:
    return _SEPARATORS.sub("", code).upper()


def format_activation_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class NewActivationCode:
    code: str  # "ABCD-EFGH-JKMN": shown once, never stored
    activation_code: ActivationCode


def create_activation_code(
    *, db_session: Session, keys: ServerKeys, customer: Customer, now: datetime, lifetime: timedelta
) -> NewActivationCode:
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    row = ActivationCode(
        customer_id=customer.id,
        code_hash=keys.fingerprint("activation", raw),
        created_at=now,
        expires_at=now + lifetime,
    )
    db_session.add(row)
    db_session.flush()
    return NewActivationCode(code=format_activation_code(raw), activation_code=row)


def use_activation_code(
    *, db_session: Session, keys: ServerKeys, customer: Customer | None, code: str, now: datetime
) -> int | None:
    """Uses up the customer's activation code and answers its id; None when it is wrong,
    someone else's, expired or used (which one is not said: it would help guessing)."""
    if customer is None:
        return None
    code_hash = keys.fingerprint("activation", normalise_activation_code(code))
    row = db_session.scalar(select(ActivationCode).where(ActivationCode.code_hash == code_hash))
    if row is None or row.customer_id != customer.id or row.expires_at <= now:
        return None
    return (
        row.id if use_activation_code_id(db_session=db_session, code_id=row.id, now=now) else None
    )


def use_activation_code_id(*, db_session: Session, code_id: int, now: datetime) -> bool:
    """Marks the code used; False when it was used already (only one of two simultaneous
    links with the same code may have it)."""
    result = db_session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == code_id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1


def forget(db_session: Session, customer: Customer) -> None:
    """Erasure: the customer's password and activation codes go with the personal data, so
    re-provisioning the account number later does not revive them."""
    db_session.execute(
        delete(CustomerCredential).where(CustomerCredential.customer_id == customer.id)
    )
    db_session.execute(delete(ActivationCode).where(ActivationCode.customer_id == customer.id))
