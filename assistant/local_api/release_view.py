"""What the page shows when a sign-in is refused because every place for a computer is
taken: a sentence that fits the customer (a customer without a subscription has no
subscription that allows anything), and the customer's linked computers, with their names
and when each was last seen, for the customer to release one in this computer's place.

The release ticket itself stays in the assistant's process (`PremiumService`); the page
only names the computer to release.
"""

from __future__ import annotations

from assistant import formats
from assistant.i18n import _
from assistant.premium import errors
from isp_common.premium_wire import LinkedDevice, ReleaseOffer


def limit_text(error: errors.DeviceLimitReached) -> str:
    """Why the sign-in was refused, and what helps."""
    offer = error.release
    without_subscription = offer is not None and offer.tier == "none"
    if without_subscription:
        why = _("Without a subscription, only {count} computer can be linked to your account.")
        why = why.format(count=formats.number(error.device_limit))
    else:
        why = _("Your subscription allows no further computer.")
    if offer is not None and offer.ticket:
        helps = _(
            "You can release one of your computers below: this computer then takes its "
            "place. Or call the hotline."
        )
    else:
        helps = _(
            "Open the assistant on one of your other computers and unlink it there, or call "
            "the hotline."
        )
    return f"{why} {helps}"


def device_view(device: LinkedDevice) -> dict:
    last_seen = (
        _("Last seen: {time}").format(time=formats.moment(device.last_seen_at))
        if device.last_seen_at
        else _("Not seen since it was linked")
    )
    return {
        "device_id": device.device_id,
        "name": device.name,
        "last_seen_text": last_seen,
        "linked_at_text": _("Linked on {date}").format(date=formats.day(device.linked_at)),
    }


def release_view(offer: ReleaseOffer | None) -> dict | None:
    """The computers the customer may release one of; None when releasing cannot help."""
    if offer is None or not offer.ticket:
        return None
    return {
        "devices": [device_view(device) for device in offer.devices],
        "until_text": (
            _("Please choose before {time}.").format(time=formats.time_of_day(offer.expires_at))
            if offer.expires_at
            else None
        ),
    }


def released_message(name: str) -> str:
    return _("“{name}” has been released. This computer is now linked in its place.").format(
        name=name
    )
