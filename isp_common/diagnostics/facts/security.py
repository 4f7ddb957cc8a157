"""Facts about protection: firewall, virus protection, updates, account settings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

OsFamily = Literal["linux", "windows", "macos", "other"]


class FirewallProfile(BaseModel):
    name: str
    enabled: bool


class FirewallFacts(BaseModel):
    kind: Literal["firewall"] = "firewall"
    os_family: OsFamily
    product: str
    """Which firewall answered, e.g. "ufw", "nftables", "Windows Defender Firewall"."""
    enabled: bool
    profiles: list[FirewallProfile] = []
    """Windows keeps one switch per network kind (domain, private, public)."""


class AntivirusProduct(BaseModel):
    name: str
    enabled: bool | None = None
    up_to_date: bool | None = None
    signatures_updated: datetime | None = None
    signature_age_days: float | None = None
    real_time: bool | None = None


class AntivirusFacts(BaseModel):
    kind: Literal["antivirus"] = "antivirus"
    os_family: OsFamily
    products: list[AntivirusProduct]
    gatekeeper_enabled: bool | None = None
    """macOS only: whether apps from unknown developers are blocked."""


class PendingUpdate(BaseModel):
    name: str
    version: str | None = None
    security: bool = False
    category: Literal["update", "upgrade", "beta"] = "update"
    """An update of the installed system, the next major system (optional), or a beta."""


class UpdatesFacts(BaseModel):
    kind: Literal["updates"] = "updates"
    os_family: OsFamily
    source: str
    """Who was asked: "apt", "dnf", "Windows Update", "softwareupdate"."""
    pending_count: int
    """Updates of the installed system; an offered upgrade or beta is listed, not counted."""
    security_count: int = 0
    updates: list[PendingUpdate] = []
    """The first pending updates by name (the list is cut to keep reports small)."""
    restart_required: bool | None = None
    last_checked: datetime | None = None
    """When the list of available updates was last fetched, where the OS tells."""


class AccountFacts(BaseModel):
    kind: Literal["accounts"] = "accounts"
    os_family: OsFamily
    user: str
    is_superuser: bool
    """Working as root (Linux, macOS) or with an elevated administrator token (Windows)."""
    is_admin: bool | None = None
    """The account may make changes to the whole computer."""
    auto_login: bool | None = None
    auto_login_user: str | None = None
    guest_enabled: bool | None = None
    unreadable: list[str] = []
    """What could not be read, and why (in plain words)."""
