"""Settings of the portal server, read from environment variables prefixed `PORTAL_` and a
`.env` file. Every setting has a working default, so the server starts with none given."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from babel import numbers as babel_numbers
from pydantic import Field, FilePath, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent_portal.expert_search.ranking import RankingRules
from agent_portal.logs import LogFormat, LogLevel
from agent_portal.provider.settings import ProviderSettings
from isp_common.email_addresses import EmailAddressInvalid, check_email_address
from isp_common.entitlements import MAX_TOKEN_LIFETIME
from isp_common.live_wire import MESSAGE_MAX_CHARS

APP_NAME = "isp-agent-portal"
DEFAULT_DEVICE_LIMITS = {"none": 1, "premium": 3, "premium_plus": 10}


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _check_mail_domain(domain: str) -> str:
    """The domain in ASCII (an internationalised one as its xn-- form), or ValueError
    saying what is wrong with it."""
    try:
        address = check_email_address(f"postmaster@{domain}")
    except EmailAddressInvalid as problem:
        raise ValueError(f"{domain!r} is not a mail domain: {problem}") from None
    return (address.ascii or address.normalized).rpartition("@")[2]


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    # Empty means: an SQLite file inside data_dir. PostgreSQL example:
    # postgresql+psycopg://user:password@db-host/portal
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    default_language: Literal["de", "en"] = "de"
    # The log on stderr (agent_portal.logs): from this level up, as text or JSON lines.
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "text"
    # Request bodies larger than this are refused (413) before they are read: JSON API
    # calls, and the portal's forms. A chat attachment's form may carry the attachment
    # (chat_attachment_max_bytes) on top of the form's own limit.
    api_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    form_max_body_bytes: int = Field(default=1024 * 1024, ge=1024)

    # Portal sessions of staff members.
    session_lifetime_minutes: int = Field(default=8 * 60, ge=1)
    cookie_secure: bool = False  # set true behind HTTPS
    # The API description and its viewers (/openapi.json, /docs, /redoc): "staff" (logged-in
    # staff only), "public" (everyone) or "off" (not served; 404).
    api_docs: Literal["staff", "public", "off"] = "staff"
    # Behind a reverse proxy: its addresses or networks, comma-separated ("10.0.0.5",
    # "10.0.0.0/24", "*" for any). Only requests from these may name the client in
    # X-Forwarded-For (and the scheme in X-Forwarded-Proto), so that attempt limits count
    # per client and not per proxy. Empty: the headers are ignored.
    forwarded_allow_ips: str = ""

    # Failed logins: each failure waits a little longer, and too many lock the user name (or
    # the address).
    login_max_failures: int = Field(default=5, ge=1)  # per user name
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    login_failure_delay_seconds: float = Field(default=0.5, ge=0)
    login_failure_delay_max_seconds: float = Field(default=5, ge=0)

    # How many devices a customer may link, per subscription tier. Tiers left out of an
    # override keep these defaults, e.g. PORTAL_DEVICE_LIMITS='{"premium": 5}'.
    device_limits: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_DEVICE_LIMITS))
    # Times are stored in UTC; the portal pages show them in this zone.
    time_zone: str = "Europe/Berlin"

    # Live channel. Events between the server's parts: empty means in this process only;
    # redis://host:6379/0 shares them between several workers.
    pubsub_url: str = ""
    staff_away_minutes: float = Field(default=5, gt=0)  # idle this long: "away"
    consent_timeout_seconds: float = Field(default=120, gt=0)  # customer's time to answer
    diagnostics_report_timeout_seconds: float = Field(default=300, gt=0)
    # The customer's time to answer a request to see their screen or take control.
    screen_consent_seconds: float = Field(default=60, gt=0)
    # Sizes are shown in decimal units (isp_common.formatting): 2 000 000 bytes read "2 MB".
    chat_attachment_max_bytes: int = Field(default=2_000_000, ge=1)
    chat_max_per_agent: int = Field(default=4, ge=1)
    # Longer chat messages are refused whole, never cut; both sides' composers show it.
    chat_message_max_chars: int = Field(default=MESSAGE_MAX_CHARS, ge=1, le=100_000)
    live_sweep_seconds: float = Field(default=2, gt=0)  # how often timeouts are checked
    # An expert who leaves a customer's new pre-chat unanswered this long turns away.
    expert_answer_seconds: float = Field(default=120, gt=0)
    # A hotline agent's offer of an expert that the customer leaves unanswered this long
    # expires (`escalation`): the customer may have left the chat.
    expert_offer_seconds: float = Field(default=600, gt=0)
    # E-mail to customers (ticket answers). An empty host sends nothing.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "support@example.net"
    # none | starttls | tls (implicit TLS from the first byte, usually port 465).
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_starttls: bool = False  # the older spelling of smtp_security=starttls
    # Trust these CA certificates (PEM) for the mail server instead of the system's.
    smtp_ca_file: FilePath | None = None
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    # The name the portal gives the mail server when it greets it (EHLO). Mail servers
    # check it, so set the portal's public host name; empty: this machine's full name,
    # looked up once (a lookup per mail can take seconds where reverse DNS is slow).
    smtp_helo_name: str = ""
    smtp_max_attempts: int = Field(default=5, ge=1)
    smtp_retry_seconds: float = Field(default=5, gt=0)  # doubles with each failed attempt
    # The mail relay (`agent_portal.mail_relay`, docs/mail.md): conversations that opt in
    # are also carried by e-mail, replies going to r-<token>@<this domain>. Empty: off.
    mail_relay_domain: str = ""
    # Where the server's own SMTP receiver for those replies listens, host:port (the
    # domain's MX, or the ISP's mail server, hands replies to it). Empty: no receiver.
    mail_relay_listen: str = ""
    # Larger incoming mails are refused (552) before they are read whole.
    mail_relay_max_bytes: int = Field(default=10_000_000, ge=10_000)

    # The ledger (`agent_portal.ledger`, docs/ledger.md). A paid session's hold lapses this
    # long after it is made and can never be posted after; the platform keeps this share of
    # every capture and this share is tax (the expert gets the rest). Percentages may
    # have decimals (8.1); the parts are rounded by the largest remainder.
    ledger_hold_hours: float = Field(default=24, gt=0, le=24 * 31)
    platform_fee_percent: Decimal = Field(default=Decimal(20), ge=0, le=100)
    ledger_tax_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)

    # Paid sessions (`agent_portal.paid_sessions`, docs/paid-sessions.md). What a customer's
    # sessions may hold per calendar month (minor units; a customer's own limit, set by
    # provisioning, comes first; None: no limit); per-minute sessions bill to the second or
    # each started minute in full; a side gone longer than the grace period pauses the
    # meter (the seconds since it went are not billed); running meters are ticked this often.
    monthly_spending_limit: int | None = Field(default=50_000, ge=0)
    session_billing: Literal["second", "started_minute"] = "second"
    session_grace_seconds: float = Field(default=30, ge=0)
    session_tick_seconds: float = Field(default=5, gt=0)
    # Invoices and credit notes (`agent_portal.invoices`, docs/invoices.md) name the ISP as
    # the issuer: its name, postal address (lines separated by new lines or "|") and tax
    # number (VAT or UID), as the law of its country asks of an invoice.
    isp_name: str = Field(default="Internet Service Provider", min_length=1, max_length=200)
    isp_address: str = Field(default="", max_length=500)
    isp_tax_id: str = Field(default="", max_length=50)

    # Premium. A subscription entitlement lives this long and is refreshed while the
    # assistant is online (the assistant adds its own offline grace period on top). At most
    # the longest token lifetime assistants accept (72 hours, MAX_TOKEN_LIFETIME).
    entitlement_lifetime_hours: int = Field(
        default=24, ge=1, le=MAX_TOKEN_LIFETIME // timedelta(hours=1)
    )
    # One-time unlock codes an agent reads out: how long they work, how long the session
    # they unlock lasts (at most 8 hours), and the attempt limit per customer, device and
    # address: this many wrong codes within the window lock that key for the lock time.
    unlock_code_minutes: int = Field(default=15, ge=1, le=24 * 60)
    unlock_session_hours: float = Field(default=8, gt=0, le=8)
    unlock_max_failures: int = Field(default=5, ge=1)
    unlock_failure_window_minutes: int = Field(default=15, ge=1)
    unlock_lock_minutes: int = Field(default=15, ge=1)
    # Activation codes the ISP sends a customer for the first sign-in in the assistant.
    activation_code_days: int = Field(default=14, ge=1, le=365)
    # A sign-in refused because every place is taken answers a ticket that lets that
    # computer release one of the others in its place, once, within these minutes.
    release_ticket_minutes: int = Field(default=10, ge=1, le=60)
    # Signed requests of linked devices older (or newer) than this are refused.
    device_request_max_age_seconds: int = Field(default=300, ge=10, le=3600)

    # The ISP's currency (ISO 4217): experts' prices are in its minor units.
    currency: str = "CHF"
    # Experts' prices in minor units of `currency`, per minute and per session: a profile
    # outside these limits is refused.
    expert_price_per_minute_min: int = Field(default=50, ge=1)
    expert_price_per_minute_max: int = Field(default=2_000, ge=1)
    expert_price_per_session_min: int = Field(default=1_000, ge=1)
    expert_price_per_session_max: int = Field(default=50_000, ge=1)
    # Appointments an expert proposes (agent_portal.appointments): the durations allowed,
    # and how long before the start both sides are reminded (once, by socket and e-mail).
    appointment_min_minutes: int = Field(default=15, ge=1, le=24 * 60)
    appointment_max_minutes: int = Field(default=240, ge=1, le=24 * 60)
    appointment_reminder_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    # Ratings of paid sessions (agent_portal.session_ratings): both sides see each other's
    # rating once both rated, or this many days after the session ended; rating closes then.
    rating_reveal_days: int = Field(default=14, ge=1, le=365)
    # An expert's photo as uploaded; the server stores it re-encoded, much smaller.
    expert_photo_max_bytes: int = Field(default=5_000_000, ge=1024)
    # Ranking of experts (agent_portal.expert_search.ranking, docs/experts.md): a weighted Bayesian
    # average towards PRIOR_MEAN with the weight of PRIOR_WEIGHT ratings. A rating weighs
    # sqrt(minutes / REF_MINUTES * cents / REF_CENTS), at most WEIGHT_CAP; nothing when the
    # session was free or shorter than MIN_MINUTES.
    expert_rank_prior_mean: float = Field(default=3.5, ge=1, le=5)
    expert_rank_prior_weight: float = Field(default=5, gt=0)
    expert_rank_weight_cap: float = Field(default=3, gt=0)
    expert_rank_min_minutes: float = Field(default=2, ge=0)
    expert_rank_ref_minutes: float = Field(default=10, gt=0)
    expert_rank_ref_cents: int = Field(default=1000, gt=0)

    # What the assistants' checks test against, published signed to them: PORTAL_PROVIDER_*
    # (agent_portal.provider.settings).
    provider: ProviderSettings = Field(default_factory=ProviderSettings)

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_in_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}; e.g. Europe/Berlin or UTC") from None
        return name

    @field_validator("smtp_from")
    @classmethod
    def _valid_sender(cls, address: str) -> str:
        try:
            return check_email_address(address).normalized
        except EmailAddressInvalid as problem:
            raise ValueError(f"{address!r} is not a valid e-mail address: {problem}") from None

    @field_validator("mail_relay_domain")
    @classmethod
    def _relay_domain(cls, domain: str) -> str:
        domain = domain.strip().lower().rstrip(".")
        if domain:
            _check_mail_domain(domain)
        return domain

    @field_validator("smtp_helo_name")
    @classmethod
    def _helo_name(cls, name: str) -> str:
        name = name.strip().rstrip(".")
        if name.startswith("[") and name.endswith("]"):  # an address literal, RFC 5321 4.1.3
            literal = name[1:-1]
            try:
                address = ipaddress.ip_address(literal.removeprefix("IPv6:"))
            except ValueError:
                address = None
            if address is None or (address.version == 6) != literal.startswith("IPv6:"):
                raise ValueError(
                    f"{name!r} is no address literal; e.g. [192.0.2.25] or [IPv6:2001:db8::25]"
                )
            return name
        return _check_mail_domain(name) if name else ""

    @field_validator("mail_relay_listen")
    @classmethod
    def _relay_listen(cls, listen: str) -> str:
        listen = listen.strip()
        if listen:
            host, colon, port = listen.rpartition(":")
            if not colon or not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(f"{listen!r} is not host:port, e.g. 127.0.0.1:2525")
        return listen

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            if entry == "*":
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network; name the reverse proxies, "
                    "e.g. 10.0.0.5, 10.0.0.0/24 or * for any"
                ) from None
        return ", ".join(entries)

    @field_validator("device_limits", mode="after")
    @classmethod
    def _complete_device_limits(cls, limits: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(limits) - set(DEFAULT_DEVICE_LIMITS))
        if unknown:
            known = ", ".join(DEFAULT_DEVICE_LIMITS)
            raise ValueError(f"unknown tier {', '.join(unknown)}; the tiers are {known}")
        if any(limit < 0 for limit in limits.values()):
            raise ValueError("a device limit cannot be negative")
        return {**DEFAULT_DEVICE_LIMITS, **limits}

    @model_validator(mode="after")
    def _smtp_starttls_means_smtp_security(self) -> PortalSettings:
        if self.smtp_starttls and self.smtp_security == "tls":
            raise ValueError("smtp_starttls=true contradicts smtp_security=tls; set only one")
        if self.smtp_starttls:
            self.smtp_security = "starttls"
        return self

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        code = code.strip().upper()
        if code not in babel_numbers.list_currencies():
            raise ValueError(f"unknown currency {code!r}; an ISO 4217 code, e.g. CHF or EUR")
        return code

    @model_validator(mode="after")
    def _expert_price_limits_in_order(self) -> PortalSettings:
        for unit in ("minute", "session"):
            low = getattr(self, f"expert_price_per_{unit}_min")
            high = getattr(self, f"expert_price_per_{unit}_max")
            if low > high:
                raise ValueError(
                    f"expert_price_per_{unit}_min ({low}) is above "
                    f"expert_price_per_{unit}_max ({high})"
                )
        return self

    @model_validator(mode="after")
    def _fee_and_tax_within_the_capture(self) -> PortalSettings:
        if self.platform_fee_percent + self.ledger_tax_percent > 100:
            raise ValueError(
                "platform_fee_percent + ledger_tax_percent may be at most 100 "
                "(they are shares of the captured amount)"
            )
        return self

    @model_validator(mode="after")
    def _fill_database_url(self) -> PortalSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'portal.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def expert_ranking_rules(self) -> RankingRules:
        return RankingRules(
            prior_mean=self.expert_rank_prior_mean,
            prior_weight=self.expert_rank_prior_weight,
            weight_cap=self.expert_rank_weight_cap,
            min_minutes=self.expert_rank_min_minutes,
            ref_minutes=self.expert_rank_ref_minutes,
            ref_cents=self.expert_rank_ref_cents,
        )
