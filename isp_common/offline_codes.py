"""Offline unlock codes: the part both sides share.

At link time the server and the assistant agree on a per-device secret (base32). The portal
shows an agent the device's current code (`OfflineCodeIssuer`); the assistant checks it
without the server (`assistant.premium.offline_code.OfflineCodeVerifier`), because customers
call the hotline exactly when their internet is down. The code is a time-based code in the
manner of TOTP (RFC 6238), 8 digits with a 15-minute step, but every code equally likely
(`code_for_step`); the assistant accepts the current and the previous step, so a code
read out on the phone works for 15 to 30 minutes. Each use is reported to the server at
the next connection as an `OfflineCodeUse`. The threat model is in docs/offline-unlock.md.
"""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime, timedelta

import pyotp
from pydantic import BaseModel, ConfigDict, Field

from isp_common.clock import as_utc
from isp_common.device_ids import DEVICE_ID_PATTERN
from isp_common.entitlements import UtcDatetime

CODE_INTERVAL = timedelta(minutes=15)
# Every unlock code a customer types has this many digits: the server's one-time codes
# (agent_portal.unlock_codes) as well as the offline codes here.
CODE_DIGITS = 8
SECRET_LENGTH = 32  # base32 letters: 160 bits, the size RFC 4226 recommends
_BASE32 = re.compile(r"^[A-Z2-7]{32,128}$")


def new_device_secret() -> str:
    """A fresh secret for one device; made again at every link and relink."""
    return pyotp.random_base32(SECRET_LENGTH)


def check_secret(secret: str) -> str:
    if not isinstance(secret, str) or not _BASE32.fullmatch(secret):
        raise ValueError("the device secret must be 32 to 128 base32 letters")
    return secret


def time_step(now: datetime, interval: timedelta = CODE_INTERVAL) -> int:
    """The number of the interval `now` falls into, counted from 1970 (the TOTP counter)."""
    return int(as_utc(now, name="now").timestamp()) // int(interval.total_seconds())


def code_for_step(secret: str, step: int, *, digits: int = CODE_DIGITS) -> str:
    """The code of one time step: HMAC-SHA256 of the step number (8 bytes, big-endian)
    under the device secret, all 256 bits taken modulo 10^digits.

    Like RFC 6238's TOTP, but without its truncation to 31 bits: 2^31 modulo 10^8 leaves
    codes below 47,483,648 one in 21 more likely than the rest, while 256 bits leave a bias
    below 2^-200. Only the portal and the assistant compute these codes, so nothing needs
    the standard's exact digits.
    """
    key = pyotp.HOTP(check_secret(secret)).byte_secret()
    digest = hmac.digest(key, step.to_bytes(8, "big"), "sha256")
    return f"{int.from_bytes(digest, 'big') % 10**digits:0{digits}d}"


def codes_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("ascii"), expected.encode("ascii"))


def format_code(code: str) -> str:
    """'12345678' -> '1234 5678': easier to read out on the phone."""
    half = CODE_DIGITS // 2
    return f"{code[:half]} {code[half:]}" if len(code) == CODE_DIGITS else code


class OfflineCodeIssuer:
    """Server side: the code an agent reads out for one device."""

    def __init__(self, *, interval: timedelta = CODE_INTERVAL, digits: int = CODE_DIGITS) -> None:
        self.interval = interval
        self.digits = digits

    def code_for(self, secret: str, now: datetime) -> str:
        step = time_step(now, self.interval)
        return code_for_step(secret, step, digits=self.digits)

    def valid_until(self, now: datetime) -> datetime:
        """When the code shown at `now` stops working (the end of the following step)."""
        seconds = int(self.interval.total_seconds())
        return datetime.fromtimestamp((time_step(now, self.interval) + 2) * seconds, UTC)


class OfflineCodeUse(BaseModel):
    """One offline unlock on a device, reported to the server at the next connection."""

    model_config = ConfigDict(frozen=True)

    device_id: str = Field(pattern=DEVICE_ID_PATTERN)
    time_step: int = Field(ge=0, description="the TOTP counter of the code that was used")
    used_at: UtcDatetime


class OfflineCodeUseReport(BaseModel):
    uses: tuple[OfflineCodeUse, ...]
