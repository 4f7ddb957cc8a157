"""The words of the appointments' e-mails and of their terms, in the reader's language.
Times are shown in the expert's zone with its name (an e-mail cannot know the reader's
computer); the calendar file carries the exact moment for every calendar."""

from __future__ import annotations

from agent_portal.appointments.models import Appointment
from agent_portal.i18n import LOCALE_DIR
from isp_common import formatting
from isp_common.i18n import N_, translations

TERMS_FREE = N_("free of charge")
TERMS_FIXED = N_("fixed price %(price)s")
TERMS_PER_MINUTE = N_("%(price)s per minute")
WHEN = N_("%(moment)s (%(zone)s), %(minutes)s minutes")

PROPOSED_SUBJECT = N_("Appointment proposed by %(expert)s")
PROPOSED_BODY = N_(
    "%(expert)s proposes an appointment:\n\n%(when)s\nTerms: %(terms)s\n\n"
    "Accept or decline it in your assistant, on the Experts tab or in the conversation."
)
ACCEPTED_SUBJECT = N_("Appointment with %(other)s: %(moment)s")
ACCEPTED_BODY = N_(
    "The appointment with %(other)s is agreed:\n\n%(when)s\nTerms: %(terms)s\n\n"
    "The attached file adds it to your calendar."
)
CANCELLED_SUBJECT = N_("Appointment cancelled: %(moment)s")
CANCELLED_BODY = N_(
    "%(who)s cancelled the appointment of %(when)s.\n\n"
    "The attached file removes it from your calendar."
)
REMINDER_SUBJECT = N_("Reminder: appointment with %(other)s at %(time)s")
REMINDER_BODY = N_("Your appointment with %(other)s begins soon:\n\n%(when)s\nTerms: %(terms)s")
SUMMARY = N_("Appointment with %(other)s")


def gettext_for(language: str):
    return translations(LOCALE_DIR, "portal", language).gettext


def terms(appointment: Appointment, language: str) -> str:
    _ = gettext_for(language)
    if appointment.terms == "free":
        return _(TERMS_FREE)
    if appointment.terms == "fixed":
        price = formatting.money(appointment.price, appointment.currency, locale=language)
        return _(TERMS_FIXED) % {"price": price}
    price = formatting.money(
        appointment.price_per_minute or 0, appointment.currency, locale=language
    )
    return _(TERMS_PER_MINUTE) % {"price": price}


def moment(appointment: Appointment, language: str) -> str:
    return formatting.moment(appointment.starts_at, locale=language, zone=appointment.time_zone)


def when(appointment: Appointment, language: str) -> str:
    return gettext_for(language)(WHEN) % {
        "moment": moment(appointment, language),
        "zone": appointment.time_zone,
        "minutes": formatting.number(appointment.duration_minutes, locale=language),
    }
