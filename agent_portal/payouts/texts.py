"""The words of the payout report (page, CSV and PDF), marked for translation."""

from __future__ import annotations

from isp_common.i18n import N_

TITLE = N_("Payout report %(period)s")
EXPERT = N_("Expert")
PERIOD = N_("Month")
CURRENCY = N_("Currency")
SESSIONS = N_("Sessions")
SESSION = N_("Session")
ENDED = N_("Ended")
CREDIT_NOTE = N_("Credit note")
CHARGED = N_("Charged")
WAIVED = N_("Waived")
TIPS = N_("Tips")
FEE = N_("Platform fee")
TAX = N_("Tax")
EARNED = N_("Earned")
REFUNDS = N_("Refunds to customers")
REFUNDS_EXPERT = N_("Refunds from your share")
NET = N_("Net payout")
STATUS = N_("Status")
PAID_ON = N_("Paid out on %(day)s")
OPEN = N_("Not paid out yet")
TOTAL_ROW = N_("Total")
