"""The provider profile as the ISP sets it: environment variables prefixed
`PORTAL_PROVIDER_` (or the `.env` file), read with the portal's other settings.

    PORTAL_PROVIDER_NAME="Example ISP"
    PORTAL_PROVIDER_HOTLINE_PHONE="0800 123 456"
    PORTAL_PROVIDER_MAIL_SERVERS='[{"protocol": "smtp", "host": "smtp.example-isp.de",
                                   "port": 587, "security": "starttls"},
                                  {"protocol": "imap", "host": "imap.example-isp.de"}]'
    PORTAL_PROVIDER_INTERNET_ENDPOINTS='["speedtest.example-isp.de:443"]'
    PORTAL_PROVIDER_DNS_TEST_NAMES='["www.example-isp.de"]'
    PORTAL_PROVIDER_ROUTER_ADDRESS=192.168.178.1
    PORTAL_PROVIDER_ROUTER_ADMIN_PAGE=http://192.168.178.1/

A value left empty says nothing: the assistants keep their own for it. A value that is not
valid stops the server at start, with a message naming the setting.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from isp_common.provider_profile import Endpoint, Host, MailServer, RouterDefaults


class ProviderSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PORTAL_PROVIDER_", env_file=".env", extra="ignore"
    )

    name: str = Field(default="", max_length=100)
    # Shown to customers wherever the assistant tells them to call the hotline.
    hotline_phone: str = Field(default="", max_length=40, pattern=r"^(\+?[0-9][0-9 ()/.-]*)?$")
    # Mail servers as customers enter them: SMTP submission, IMAP, POP3.
    mail_servers: list[MailServer] = []
    # "host:port" the ISP runs for testing the internet; by address where DNS may fail.
    internet_endpoints: list[str] = []
    dns_test_names: list[Host] = []
    router_address: Host | None = None
    router_admin_page: str | None = None

    @field_validator("internet_endpoints")
    @classmethod
    def _endpoints(cls, values: list[str]) -> list[str]:
        return [str(Endpoint.parse(value)) for value in values]

    @field_validator("router_admin_page")
    @classmethod
    def _admin_page(cls, value: str | None) -> str | None:
        return RouterDefaults(admin_page=value or None).admin_page

    def router(self) -> RouterDefaults:
        return RouterDefaults(address=self.router_address, admin_page=self.router_admin_page)
