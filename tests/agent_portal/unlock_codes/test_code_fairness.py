"""Every 8-digit unlock code is as likely as any other, so a guesser gains nothing by
trying some codes first: the one-time codes the server issues and the offline codes of a
device alike.

RFC 4226's truncation takes a 31-bit number modulo 10^8; 2^31 = 21 * 10^8 + 47,483,648,
so codes below 47,483,648 come 22 times where the others come 21 times: 48.6 % of all
codes fall below that line instead of 47.5 %. With 200,000 codes the share of a fair
source lies within 0.12 % (one standard deviation) of 47.5 %; the test draws the line
halfway, more than five standard deviations from either, so neither answer is luck.
"""

from __future__ import annotations

import pytest

from agent_portal.unlock_codes.service import CODE_DIGITS, new_code
from isp_common.offline_codes import CODE_DIGITS as OFFLINE_DIGITS
from isp_common.offline_codes import code_for_step, new_device_secret

FAVOURED_BELOW = 2**31 % 10**8  # 47,483,648
FAIR_SHARE = FAVOURED_BELOW / 10**8
BIASED_SHARE = 22 * FAVOURED_BELOW / 2**31
SAMPLES = 200_000


def share_below_the_line(codes) -> float:
    return sum(int(code) < FAVOURED_BELOW for code in codes) / SAMPLES


def assert_fair(share: float) -> None:
    line = (FAIR_SHARE + BIASED_SHARE) / 2
    assert share < line, (
        f"{share:.2%} of the codes are below {FAVOURED_BELOW:,}: a fair source gives "
        f"{FAIR_SHARE:.2%}, truncated HOTP {BIASED_SHARE:.2%}"
    )


def test_issued_codes_are_uniform_over_all_eight_digit_numbers():
    codes = [new_code() for _ in range(SAMPLES)]

    assert all(len(code) == CODE_DIGITS and code.isdigit() for code in codes)
    assert_fair(share_below_the_line(codes))
    # Leading zeros are codes too: about one in ten starts with 0.
    assert 0.09 < sum(code[0] == "0" for code in codes) / SAMPLES < 0.11


@pytest.mark.slow  # a statistical test over many thousand codes
def test_offline_codes_are_uniform_over_all_eight_digit_numbers():
    secret = new_device_secret()
    codes = [code_for_step(secret, step) for step in range(SAMPLES)]

    assert all(len(code) == OFFLINE_DIGITS and code.isdigit() for code in codes)
    assert_fair(share_below_the_line(codes))
