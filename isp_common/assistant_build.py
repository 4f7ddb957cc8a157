"""The assistant's build configuration: what the ISP fixes when it builds and installs the
assistant, and the customer cannot change by using it: the addresses of the ISP's servers,
the public keys the assistant trusts for entitlements, and keys it must never trust again.

    {
      "servers": ["https://assistant.example-isp.de"],
      "trusted_keys": [{"key_id": "…", "public_key": "…"}],
      "revoked_keys": []
    }

The server writes one (`agent-portal assistant-build-config`); the assistant reads it from
its installation (`assistant.build`). Shared here because the ISP's server tools produce the
file and the assistant consumes it.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from isp_common.entitlements import KEY_ID_PATTERN
from isp_common.key_chain import PinnedKey

# Where the ISP's installer puts the file, below the installation's prefix (`sys.prefix`):
# the place Jupyter uses for an environment's configuration.
INSTALLED_PATH = PurePosixPath("etc", "isp-assistant", "build.json")


def normalise_server(url: str) -> str:
    """The address as the assistant compares and keeps it: scheme and host in lower case,
    no trailing slash. ValueError for anything but an http(s) address of a host."""
    text = url.strip() if isinstance(url, str) else ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValueError("a server address starts with https:// or http:// and names a host")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("a server address has no query, fragment or user name")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class BuildConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    servers: tuple[str, ...] = Field(
        default=(), description="the ISP's servers; the first is the one used by default"
    )
    trusted_keys: tuple[PinnedKey, ...] = ()
    revoked_keys: tuple[Annotated[str, Field(pattern=KEY_ID_PATTERN)], ...] = ()

    @field_validator("servers")
    @classmethod
    def _addresses(cls, servers: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(normalise_server(server) for server in servers))
