"""The billing rule of per-minute sessions, as plain arithmetic on whole seconds and minor
units (docs/paid-sessions.md):

- `second`: price × seconds / 60, rounded down to the minor unit;
- `started_minute`: each started minute at the full price.

`cap_seconds` is the longest time whose amount fits a maximum: the meter never runs past
it, so what is billed never exceeds the holds, whatever the time of the tick.
"""

from __future__ import annotations

from isp_common.i18n import N_

# Shown before the customer confirms; `price` is the price per minute, as money.
BILLING_TEXTS = {
    "second": N_("Billed to the second: %(price)s per minute, each second a sixtieth of it."),
    "started_minute": N_("Each started minute is billed in full at %(price)s."),
}
FIXED_TEXT = N_("A fixed price of %(price)s, charged at the end.")


def amount_for(rule: str, price: int, seconds: int) -> int:
    if seconds <= 0:
        return 0
    if rule == "second":
        return price * seconds // 60
    if rule == "started_minute":
        return -(-seconds // 60) * price
    raise ValueError(f"unknown billing rule {rule!r}")


def cap_seconds(rule: str, price: int, maximum: int) -> int:
    """The most seconds whose amount is at most `maximum`."""
    if maximum <= 0:
        return 0
    if rule == "second":
        # price * s // 60 <= maximum  <=>  price * s < 60 * (maximum + 1)
        return (60 * (maximum + 1) - 1) // price
    if rule == "started_minute":
        return 60 * (maximum // price)
    raise ValueError(f"unknown billing rule {rule!r}")


def minutes(seconds: int) -> int:
    """Billed time in whole minutes, rounded up (an invoice line's minutes)."""
    return -(-seconds // 60)
