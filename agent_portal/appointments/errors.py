"""Refusals of the appointments' service, each with a text for the person who acted (in
German and English through the portal's catalogue); nothing is stored when one is raised."""

from __future__ import annotations

from agent_portal.api_errors import ApiError
from isp_common.i18n import N_


class AppointmentError(ApiError):
    """A refusal worded like every other (`agent_portal.errors.PortalError`): the English
    `detail` on the API, `translated(gettext)` on pages; `params` are its values."""

    status_code = 422
    code = "appointment_invalid"
    template = N_("The appointment cannot be stored.")

    def __init__(self, **params) -> None:
        super().__init__(**params)

    @property
    def params(self) -> dict:
        return self.values

    @property
    def detail(self) -> str:
        return self.message


class AppointmentNotFound(AppointmentError):
    status_code = 404
    code = "appointment_not_found"
    template = N_("There is no such appointment.")


class NotInConversation(AppointmentError):
    status_code = 403
    code = "appointment_not_yours"
    template = N_("Only the expert of this conversation can propose an appointment in it.")


class StartInPast(AppointmentError):
    code = "appointment_in_past"
    template = N_("The appointment must start in the future.")


class DurationOutOfRange(AppointmentError):
    code = "appointment_duration"
    template = N_("The duration must be between %(min)s and %(max)s minutes.")


class PriceOutOfRange(AppointmentError):
    code = "appointment_price"
    template = N_("A fixed price must be between %(min)s and %(max)s.")


class NoPricePerMinute(AppointmentError):
    code = "appointment_no_price_per_minute"
    template = N_("Your profile has no price per minute: choose a fixed price or free.")


class UnknownTimeZone(AppointmentError):
    code = "appointment_time_zone"
    template = N_("The time zone “%(zone)s” is not known.")


class NotAllowedNow(AppointmentError):
    status_code = 409
    code = "appointment_state"
    template = N_("The appointment was already %(status)s.")
