"""What the checks test against and where the lines between ok, warning and critical lie.

Everything is read from the environment (prefix ``ISP_ASSISTANT_``) or passed in by code.
The ISP's own endpoints, mail servers and router defaults normally come from its signed
provider profile (`assistant.provider`): a value set here wins over the profile's, and the
defaults below are the last resort when neither names one. Nested values use ``__``::

    ISP_ASSISTANT_INTERNET_ENDPOINTS='["speedtest.example-isp.de:443"]'
    ISP_ASSISTANT_MAIL_SERVERS='[{"protocol": "imap", "host": "imap.example-isp.de"}]'
    ISP_ASSISTANT_THRESHOLDS__DISK_FREE_WARNING_PERCENT=15

All thresholds live in `Thresholds`, so the rules hold no numbers of their own.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from isp_common.provider_profile import MailServer

__all__ = ["DiagnosticsSettings", "MailServer", "Thresholds"]


class Thresholds(BaseModel):
    """Where a fact turns into a warning or a critical finding.

    A value exactly at a ``*_warning_*`` or ``*_critical_*`` threshold counts as the worse
    side (90 % memory used with a warning at 90 is a warning; 10 % disk free with a warning
    at 10 too). A ``*_max_*`` value is the last one still fine; ``link_speed_warning_mbps``
    is the slowest speed still fine.
    """

    cpu_busy_warning_percent: float = 90.0
    memory_used_warning_percent: float = 90.0
    memory_used_critical_percent: float = 97.0
    swap_used_warning_percent: float = 80.0
    disk_free_warning_percent: float = 10.0
    """A partition with this share free or less gets a warning."""
    disk_free_critical_percent: float = 5.0
    disk_reallocated_sectors_warning: int = 1
    ssd_wear_warning_percent: int = 90
    disk_temperature_warning_c: float = 60.0
    battery_health_warning_percent: float = 60.0
    """A battery that holds this share of its new capacity or less should be replaced."""
    battery_low_warning_percent: float = 15.0
    temperature_warning_c: float = 90.0
    uptime_warning_days: float = 14.0
    process_cpu_warning_percent: float = 50.0
    """Share of the whole processor one program uses (all cores together)."""
    process_memory_warning_percent: float = 30.0
    wifi_signal_warning_percent: float = 50.0
    wifi_signal_critical_percent: float = 25.0
    latency_warning_ms: float = 100.0
    latency_critical_ms: float = 300.0
    dns_slow_warning_ms: float = 300.0
    link_speed_warning_mbps: int = 100
    """A cable connection slower than this usually means a bad cable or port."""
    certificate_expiry_warning_days: float = 14.0
    antivirus_signature_max_age_days: float = 7.0
    updates_list_stale_days: float = 14.0


class DiagnosticsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ISP_ASSISTANT_", env_nested_delimiter="__", extra="ignore"
    )

    internet_endpoints: list[str] = ["1.1.1.1:443", "9.9.9.9:443"]
    """``host:port`` answering TCP; by address, so a broken DNS does not hide the internet."""
    dns_test_names: list[str] = ["example.com"]
    dns_servers: list[str] = []
    """Extra DNS servers (``host`` or ``host:port``) asked directly, beside the system's."""
    gateway: str | None = None
    """The router's address; by default the one the computer uses."""
    gateway_ports: list[int] = [80, 443, 53]
    """Home routers answer on at least one: web admin page or DNS."""
    modem_url: str | None = None
    """The modem's admin page; by default ``http://<gateway>/``."""
    router_address: str | None = None
    """The address the provider's routers have out of the box."""
    router_admin_page: str | None = None
    """Their settings page, opened instead of ``http://<gateway>/`` when the computer's router
    has `router_address` (or that is not known)."""
    mail_servers: list[MailServer] = []
    mail_ca_file: str | None = None
    """Trust these CA certificates for the mail servers (PEM) instead of the system's."""
    smart_devices: list[str] = []
    """Disks to ask for health (``/dev/sda`` or ``/dev/sda:sat``); by default smartctl's scan."""
    network_timeout_seconds: float = 5.0
    """For each single connection or lookup inside a check."""
    check_timeout_seconds: float = 20.0
    check_timeouts: dict[str, float] = {}
    """Per-check limits by check id, e.g. ``{"security.updates": 120}``."""
    cpu_sample_seconds: float = 0.5
    top_processes: int = 5
    thresholds: Thresholds = Field(default_factory=Thresholds)

    def timeout_for(self, check_id: str, default: float | None = None) -> float:
        """The check's own limit: per-check setting, else the check's default, else general."""
        if check_id in self.check_timeouts:
            return self.check_timeouts[check_id]
        return default if default is not None else self.check_timeout_seconds
