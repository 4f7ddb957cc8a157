"""How helpful a rating is, for ordering: the lower bound of the Wilson score interval of
the share of helpful votes (`docs/experts.md`). Pure numbers, no database.

    n = helpful + not_helpful,  p = helpful / n,  z = 1.959964 (95 %)
    lower = (p + z²/2n - z * sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),   0 when n = 0

A rating with 9 of 10 votes helpful ranks above one with 1 of 1: the bound is what the
share is at least, with 95 % confidence, so few votes say little.
"""

from __future__ import annotations

import math

Z_95 = 1.959963984540054


def lower_bound(helpful: int, not_helpful: int, z: float = Z_95) -> float:
    if helpful < 0 or not_helpful < 0:
        raise ValueError("vote counts are not negative")
    n = helpful + not_helpful
    if n == 0:
        return 0.0
    p = helpful / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    # Rounding may not carry a bound of a share outside [0, 1].
    return min(1.0, max(0.0, (centre - spread) / (1 + z2 / n)))
