"""Keys, tokens and a clock of premium (tests/support/premium_keys.py)."""

from tests.support.premium_keys import (  # noqa: F401 (fixtures)
    clock,
    computer,
    device,
    gate,
    other_device,
    premium_gate,
    ring,
    tree,
)
