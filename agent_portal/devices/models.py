"""Tables of the devices domain: how a customer signs in in the assistant (a password or a
one-time activation code from the ISP), and each linked device's offline-code secret.

The devices themselves are `agent_portal.customers.models.Device`; a linked device's id is
`isp_common.device_ids.device_id_for(its public key)`, so server and assistant agree on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class CustomerCredential(Base):
    """The customer's sign-in password for the assistant, hashed with argon2id."""

    __tablename__ = "customer_credentials"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ActivationCode(Base):
    """A one-time code the ISP sends the customer (e.g. by letter) to link the first device
    without a password. Only a keyed hash is kept; it works once, until `expires_at`."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeviceSecret(Base):
    """The secret a device's offline codes are made from, encrypted with the server's local
    secret (`ServerKeys.seal`). Made anew at every link; goes with the device."""

    __tablename__ = "device_secrets"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    sealed_secret: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleaseTicket(Base):
    """Given with a sign-in refused for a full device list: lets the refused computer (the
    key that signed the sign-in) release one of the customer's computers and take its
    place, once, until `expires_at`. Only a keyed hash of the ticket is kept. A ticket got
    with an activation code uses that code up when it is used (`activation_code_id`)."""

    __tablename__ = "release_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    # The refused computer's id (from its key); not a foreign key: it is not linked yet.
    device_id: Mapped[str] = mapped_column(String(36))
    activation_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("activation_codes.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
