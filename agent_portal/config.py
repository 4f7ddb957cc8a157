"""Settings of the portal server, read from environment variables prefixed `PORTAL_` and a
`.env` file. Every setting has a working default, so the server starts with none given."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "isp-agent-portal"


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

    @model_validator(mode="after")
    def _fill_database_url(self) -> PortalSettings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'portal.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
