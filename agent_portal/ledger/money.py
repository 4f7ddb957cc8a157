"""Amounts and their split: integer minor units (cents) and ISO 4217 codes, never floats.

`split(amount, weights)` divides a whole number of cents in proportion to the weights by
the largest-remainder rule: each part gets the whole cents of its exact share, and the
cents left over go one each to the parts with the largest fractional remainders (ties to
the part named first). So the parts always add up to the amount to the cent, and no part
is more than one cent from its exact share. docs/ledger.md has a worked example.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from babel.numbers import list_currencies

from agent_portal.ledger.errors import InvalidAmount, InvalidCurrency

MAX_AMOUNT = 10**15  # far beyond any session's price; keeps sums inside BIGINT


@functools.cache
def _iso_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(currency: str) -> str:
    if not isinstance(currency, str) or currency not in _iso_codes():
        raise InvalidCurrency(f"{currency!r} is not an ISO 4217 currency code (e.g. 'CHF').")
    return currency


def check_amount(amount: int, *, what: str = "The amount") -> int:
    """A positive whole number of minor units; a bool or float is refused, not rounded."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidAmount(f"{what} must be a whole number of minor units, not {amount!r}.")
    if amount <= 0:
        raise InvalidAmount(f"{what} must be more than zero, not {amount}.")
    if amount > MAX_AMOUNT:
        raise InvalidAmount(f"{what} is larger than the ledger takes ({MAX_AMOUNT}).")
    return amount


def split(amount: int, weights: Sequence[Fraction | Decimal | int]) -> list[int]:
    """`amount` cents in proportion to `weights` (any non-negative numbers, not all zero),
    by the largest remainder; the result adds up to `amount` exactly."""
    return _split(amount, _whole_weights(tuple(weights)))


def fee_split(amount: int, *, fee_percent: Decimal, tax_percent: Decimal = Decimal(0)):
    """(expert share, platform fee, tax) of a capture of `amount` cents: the fee and the
    tax are those percentages of the amount, the expert gets the rest."""
    expert_share, fee_part, tax_part = _split(amount, _fee_weights(fee_percent, tax_percent))
    return expert_share, fee_part, tax_part


@functools.lru_cache(maxsize=64)
def _fee_weights(fee_percent: Decimal, tax_percent: Decimal) -> tuple[int, ...]:
    fee, tax = Fraction(fee_percent), Fraction(tax_percent)
    if fee < 0 or tax < 0 or fee + tax > 100:
        raise ValueError("fee and tax percentages must be between 0 and 100 together")
    return _whole_weights((100 - fee - tax, fee, tax))


def _whole_weights(weights: tuple[Fraction | Decimal | int, ...]) -> tuple[int, ...]:
    """The weights as whole numbers in the same proportions (over their common
    denominator)."""
    exact = [Fraction(weight) for weight in weights]
    if any(weight < 0 for weight in exact) or sum(exact) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    denominator = math.lcm(*(weight.denominator for weight in exact))
    return tuple(weight.numerator * (denominator // weight.denominator) for weight in exact)


def _split(amount: int, weights: tuple[int, ...]) -> list[int]:
    """The largest remainder in whole numbers: each exact share is amount * weight / total,
    its whole cents the quotient and its fraction the remainder over the total."""
    total = sum(weights)
    parts, remainders = [], []
    for weight in weights:
        part, remainder = divmod(amount * weight, total)
        parts.append(part)
        remainders.append(remainder)
    left = amount - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return parts
