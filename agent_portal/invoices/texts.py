"""The words of invoices, credit notes and their e-mails, marked for translation and
worded in the reader's language (the customer's; the expert's profile language)."""

from __future__ import annotations

from agent_portal.i18n import LOCALE_DIR
from isp_common.i18n import N_, pick_language, translations

TITLES = {
    "invoice": N_("Invoice"),
    "credit_note": N_("Credit note"),
    "correction": N_("Correcting invoice (credit)"),
    "credit_correction": N_("Correcting credit note"),
}
NUMBER = N_("Number")
DATE = N_("Date")
CUSTOMER_NUMBER = N_("Customer number")
EXPERT = N_("Expert")
SESSION_DAY = N_("Session of")
MINUTES = N_("Minutes")
PRICE = N_("Price")
CORRECTS = N_("Corrects invoice")
CORRECTS_CREDIT_NOTE = N_("Corrects credit note")
REASON = N_("Reason")
TAX_NUMBER = N_("Tax number: %(tax_id)s")

PRICE_PER_SECOND = N_("%(price)s per minute, billed by the second")
PRICE_PER_STARTED_MINUTE = N_("%(price)s per minute, each started minute in full")
PRICE_FIXED = N_("fixed price %(price)s")

SESSION_AMOUNT = N_("Session amount")
WAIVED = N_("Waived by the expert")
TIP = N_("Tip")
TOTAL = N_("Total amount")
TAX_INCLUDED = N_("Included tax (%(rate)s)")
NET = N_("Net amount")
PLATFORM_FEE = N_("Platform fee (%(rate)s)")
TAX = N_("Tax (%(rate)s)")
EARNINGS = N_("Your earnings")
REFUNDED = N_("Refunded to you")
REFUND_TAX = N_("Tax in the refund (%(rate)s)")
REFUNDED_TO_CUSTOMER = N_("Refunded to the customer")
FEE_RETURNED = N_("Platform fee given back (%(rate)s)")
TAX_RETURNED = N_("Tax given back (%(rate)s)")
EARNINGS_TAKEN_BACK = N_("Taken back from your earnings")

INVOICE_NOTE = N_("Charged to your monthly bill from %(isp)s. Thank you for using expert help.")
CREDIT_NOTE_NOTE = N_("Credited to your earnings at %(isp)s and paid out with the month's payout.")
CORRECTION_NOTE = N_("Credited to your monthly bill from %(isp)s.")
CREDIT_CORRECTION_NOTE = N_(
    "Deducted from your earnings at %(isp)s with the payout of the month of the refund."
)

INVOICE_SUBJECT = N_("Your invoice %(number)s")
INVOICE_BODY = N_(
    "Hello %(name)s,\n\nattached is the invoice %(number)s for your session with %(expert)s "
    "of %(day)s: %(total)s.\n\nYou also find your invoices in the assistant, under Experts.\n\n"
    "%(isp)s"
)
CREDIT_NOTE_SUBJECT = N_("Credit note %(number)s")
CREDIT_NOTE_BODY = N_(
    "Hello %(name)s,\n\nattached is the credit note %(number)s for your session of %(day)s: "
    "%(total)s.\n\n%(isp)s"
)
CORRECTION_SUBJECT = N_("Correcting invoice %(number)s")
CORRECTION_BODY = N_(
    "Hello %(name)s,\n\n%(total)s of invoice %(corrected)s is refunded; attached is the "
    "correcting invoice %(number)s.\n\n%(isp)s"
)

CREDIT_CORRECTION_SUBJECT = N_("Correcting credit note %(number)s")
CREDIT_CORRECTION_BODY = N_(
    "Hello %(name)s,\n\n%(refunded)s of your session of %(day)s was refunded to the "
    "customer; %(total)s of it is taken back from your earnings. Attached is the correcting "
    "credit note %(number)s to credit note %(corrected)s.\n\n%(isp)s"
)


def gettext_for(language: str):
    return translations(LOCALE_DIR, "portal", pick_language(language)).gettext
