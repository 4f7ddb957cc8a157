"""Settings of the portal server, read from environment variables prefixed `PORTAL_` and a
`.env` file. Every setting has a working default, so the server starts with none given."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "isp-agent-portal"
DEFAULT_DEVICE_LIMITS = {"none": 1, "premium": 3, "premium_plus": 10}


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    # Empty means: an SQLite file inside data_dir. PostgreSQL example:
    # postgresql+psycopg://user:password@db-host/portal
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    default_language: Literal["de", "en"] = "de"

    # Portal sessions of staff members.
    session_lifetime_minutes: int = Field(default=8 * 60, ge=1)
    cookie_secure: bool = False  # set true behind HTTPS

    # Failed logins: each failure waits a little longer, and too many lock the account.
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    login_failure_delay_seconds: float = Field(default=0.5, ge=0)
    login_failure_delay_max_seconds: float = Field(default=5, ge=0)

    # How many devices a customer may link, per subscription tier. Tiers left out of an
    # override keep these defaults, e.g. PORTAL_DEVICE_LIMITS='{"premium": 5}'.
    device_limits: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_DEVICE_LIMITS))
    # Times are stored in UTC; the portal pages show them in this zone.
    time_zone: str = "Europe/Berlin"

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}; e.g. Europe/Berlin or UTC") from None
        return name

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
    def _fill_database_url(self) -> PortalSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'portal.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
