"""Wire formats of the customers domain, and the rules every input passes.

The provisioning API and the CSV import validate through the same models, so a row the
import rejects is the body the API rejects, with the same message.

- Account numbers: 4 to 20 letters (A-Z), digits and dashes, starting and ending with a
  letter or digit; stored upper-case.
- E-mail addresses: checked for shape by `isp_common.email_addresses` (IDNA 2008, no DNS
  look-up), stored in their normal form (a Unicode domain) and lower-case.
- `valid_until`: empty (no end), a date (`2026-12-31`: valid through that whole day in the
  portal's time zone, `PortalSettings.time_zone`; see `end_of_validity`) or a date and time
  with a time zone (`2026-12-31T18:00:00+01:00`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from agent_portal.customers.models import Customer, Device, Language, Platform, Tier
from agent_portal.customers.tiers import subscription_status
from isp_common.email_addresses import EmailAddressInvalid, check_email_address

# The example of an account number every text and search box shows: one like those the
# ISP's back end sends (the demo data's), so staff recognise what to type.
ACCOUNT_NUMBER_EXAMPLE = "1000002"
ACCOUNT_NUMBER_RULE = (
    "an account number has 4 to 20 characters: letters A-Z, digits and dashes, "
    f"starting and ending with a letter or digit (e.g. {ACCOUNT_NUMBER_EXAMPLE})"
)
_ACCOUNT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{2,18}[A-Z0-9]")


def normalise_account_number(value: str) -> str:
    """The account number in its stored form; ValueError naming the rule if it breaks it."""
    candidate = value.strip().upper()
    if not _ACCOUNT_NUMBER.fullmatch(candidate):
        raise ValueError(f"{value!r} is not a valid account number: {ACCOUNT_NUMBER_RULE}")
    return candidate


def parse_valid_until(value: Any) -> date | datetime | None:
    """Empty, a date, or a date-time with a time zone (normalised to UTC)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError(
                "valid_until",
                '"{value}" is not a date (YYYY-MM-DD) or a date and time with a time zone '
                "(e.g. 2026-12-31T23:59:59+01:00)",
                {"value": value},
            ) from None
    else:
        raise PydanticCustomError(
            "valid_until",
            "expected a date (YYYY-MM-DD) as text, got {kind}",
            {"kind": type(value).__name__},
        )
    if parsed.tzinfo is None:
        raise PydanticCustomError(
            "valid_until",
            '"{value}" has no time zone: add one (e.g. Z or +01:00) or give a date alone',
            {"value": str(value)},
        )
    return parsed.astimezone(UTC)


def end_of_validity(value: date | datetime | None, time_zone: str) -> datetime | None:
    """The last valid moment, in UTC: a date alone lasts until 23:59:59 of that day in
    the ISP's time zone, so "valid until 31.12." means what the customer was told."""
    if value is None or isinstance(value, datetime):
        return value
    last_second = datetime.combine(value, time(23, 59, 59), tzinfo=ZoneInfo(time_zone))
    return last_second.astimezone(UTC)


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: Tier = Tier.NONE
    valid_until: Annotated[datetime | date | None, BeforeValidator(parse_valid_until)] = None


class CustomerIn(BaseModel):
    """The body of `PUT /api/v1/provisioning/customers/{account_number}`: the whole
    customer. Fields left out take their defaults (PUT replaces, it does not merge)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)
    language: Language = Language.DE
    subscription: SubscriptionIn = Field(default_factory=SubscriptionIn)
    monthly_spending_limit: int | None = Field(
        default=None,
        ge=0,
        le=10**12,
        description="what paid sessions may hold per calendar month, in minor units; "
        "null: the portal's default (PORTAL_MONTHLY_SPENDING_LIMIT)",
    )

    @field_validator("name")
    @classmethod
    def _printable_name(cls, name: str) -> str:
        if not name.isprintable():
            raise PydanticCustomError("name", "the name contains control characters")
        return name

    @field_validator("email")
    @classmethod
    def _valid_email(cls, email: str) -> str:
        try:
            address = check_email_address(email)
        except EmailAddressInvalid as problem:
            raise PydanticCustomError(
                "email",
                '"{email}" is not a valid e-mail address: {problem}',
                {"email": email, "problem": str(problem)},
            ) from None
        # Lower case throughout, so a search finds an address however it was typed.
        return address.normalized.lower()


class SubscriptionOut(BaseModel):
    tier: Tier
    valid_until: datetime | None
    active: bool = Field(description="a paid tier whose end, if any, has not passed")
    device_limit: int = Field(description="devices allowed by the tier in force now")


class DeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    platform: Platform
    public_key: str | None
    linked_at: datetime
    last_seen_at: datetime | None

    @classmethod
    def build(cls, device: Device) -> DeviceOut:
        return cls.model_validate(device)


class CustomerOut(BaseModel):
    account_number: str
    name: str
    email: str
    language: Language
    monthly_spending_limit: int | None = None
    subscription: SubscriptionOut
    devices: list[DeviceOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, customer: Customer, *, device_limits: dict[str, int], now: datetime):
        status = subscription_status(
            subscription=customer.subscription, device_limits=device_limits, now=now
        )
        return cls(
            account_number=customer.account_number,
            name=customer.name or "",
            email=customer.email or "",
            language=Language(customer.language),
            monthly_spending_limit=customer.monthly_spending_limit,
            subscription=SubscriptionOut(
                tier=status.tier,
                valid_until=status.valid_until,
                active=status.active,
                device_limit=status.device_limit,
            ),
            devices=[DeviceOut.build(device) for device in customer.devices],
            created_at=customer.created_at,
            updated_at=customer.updated_at,
        )
