"""The build configuration this assistant was installed with (`isp_common.assistant_build`):
the ISP's servers, the keys it trusts for entitlements, and the servers this launch may
talk to.

The configuration comes from the installation, never from what a customer changes by
using the assistant (the data folder, the settings, the page, environment variables, the
command line): otherwise anyone could make it trust a key of their own. In this order:

1. `<sys.prefix>/etc/isp-assistant/build.json`, which the ISP's installer puts into the
   installation (`sys.prefix` is the installation's folder: the frozen program's folder,
   or the virtual environment);
2. `build.json` in this package, which an ISP may replace before it builds the package.

The package's own file pins no key and names no server: such an assistant unlocks no
subscription until an ISP's configuration is installed. A file that exists but cannot be
used stops the assistant with a message that names it (`BuildConfigError`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from isp_common.assistant_build import INSTALLED_PATH, BuildConfig, normalise_server

PACKAGED_PATH = Path(__file__).with_name("build.json")


class BuildConfigError(Exception):
    """The installation's build configuration cannot be used; the message says why."""


def installed_path(prefix: Path | str | None = None) -> Path:
    return Path(sys.prefix if prefix is None else prefix).joinpath(*INSTALLED_PATH.parts)


def load_build_config(prefix: Path | str | None = None) -> BuildConfig:
    """The installation's configuration (see the module's docstring for where it is)."""
    for path in (installed_path(prefix), PACKAGED_PATH):
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise BuildConfigError(f"{path} cannot be read: {error}") from error
        try:
            return BuildConfig.model_validate_json(text)
        except ValidationError as error:
            raise BuildConfigError(f"{path} is not a valid build configuration: {error}") from None
    return BuildConfig()


class ServerNotAllowed(ValueError):
    """A server address that is not one of this launch's servers."""


@dataclass(frozen=True)
class Servers:
    """The servers this launch may talk to (`allowed`) and the one it talks to (`current`).

    The build's servers when it names any; otherwise (a build for testing) the one given
    on the command line or, failing that, the one kept in the settings from an earlier
    launch. Nothing the page sends adds to them.
    """

    allowed: tuple[str, ...]
    current: str | None

    @classmethod
    def for_launch(
        cls, build: BuildConfig, *, command_line: str | None, stored: str | None
    ) -> Servers:
        """Raises ServerNotAllowed for a `command_line` address the build does not name."""
        given = normalise_server(command_line) if command_line else None
        kept = _normalised_or_none(stored)
        if build.servers:
            if given is not None and given not in build.servers:
                raise ServerNotAllowed(
                    f"{command_line} is not one of this assistant's servers "
                    f"({', '.join(build.servers)})"
                )
            kept = kept if kept in build.servers else None
            return cls(build.servers, given or kept or build.servers[0])
        current = given or kept
        return cls((current,) if current else (), current)

    def check(self, url: str) -> str:
        """The address as allowed; ServerNotAllowed when it is not one of `allowed`."""
        try:
            address = normalise_server(url)
        except ValueError as error:
            raise ServerNotAllowed(str(error)) from None
        if address not in self.allowed:
            raise ServerNotAllowed(f"{url} is not one of this assistant's servers")
        return address

    def choose(self, url: str) -> Servers:
        return Servers(self.allowed, self.check(url))


def _normalised_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return normalise_server(url)
    except ValueError:
        return None
