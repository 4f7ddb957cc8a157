"""What the devices domain refuses, as JSON API errors (`agent_portal.api_errors`), worded
in the request's language (English unless the client asks for another).

ApiError
├── SignInFailed            401  account number, password or activation code wrong
├── SignInLocked            429  too many failed sign-ins; `locked_until`
├── CredentialRejected      422  a password the ISP's back end sent is not acceptable
├── DeviceLimitReached      409  the subscription's devices are all linked
├── DeviceLinkedElsewhere   409  the computer is linked to another customer
├── ReleaseTicketInvalid    401  a release ticket unknown, used, expired or another key's
├── ReleaseDeviceUnknown    404  the computer to release is not the ticket's customer's
├── DeviceAuthMissing       401  a device request without its X-Device-* headers
├── DeviceClockWrong        401  its timestamp is more than the allowed age off
├── DeviceNotLinked         401  unknown device, or unlinked meanwhile
├── DeviceSignatureInvalid  401  not signed with the device's key
└── OfflineUseOtherDevice   422  a reported offline-code use of another device
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent_portal.api_errors import ApiError
from isp_common.i18n import N_
from isp_common.premium_wire import ErrorCode, LinkedDevice, ReleaseOffer


def _quoted_names(names: list[str], gettext) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return gettext(N_("%(names)s and %(last)s")) % {
        "names": ", ".join(quoted[:-1]),
        "last": quoted[-1],
    }


def _at(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")


class SignInFailed(ApiError):
    status_code = 401
    code = ErrorCode.SIGN_IN_FAILED
    template = N_("The account number, password or activation code is not correct.")

    def __init__(self, attempts_left: int) -> None:
        super().__init__(fields={"attempts_left": attempts_left})


class SignInLocked(ApiError):
    status_code = 429
    code = ErrorCode.SIGN_IN_LOCKED
    template = N_(
        "Too many failed sign-ins for this account number or from this address. "
        "Sign-in is locked until %(time)s; try again after that."
    )

    def __init__(self, locked_until: datetime, now: datetime) -> None:
        seconds = max(int((locked_until - now).total_seconds()), 1)
        super().__init__(
            headers={"Retry-After": str(seconds)},
            fields={"locked_until": locked_until},
            time=_at(locked_until),
        )


class CredentialRejected(ApiError):
    status_code = 422
    code = ErrorCode.REQUEST_INVALID


class DeviceLimitReached(ApiError):
    """The customer's devices are all linked. The body's `release` lists them (the
    customer's own only) and, once `with_ticket` added one, holds the release ticket."""

    status_code = 409
    code = ErrorCode.DEVICE_LIMIT_REACHED
    template = N_("%(allowed)s and %(linked)s %(remedy)s")

    def __init__(
        self,
        limit: int,
        tier: str,
        devices: Sequence[LinkedDevice],
        *,
        ticket: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        self.limit, self.tier, self.devices = limit, tier, tuple(devices)
        self.names = [device.name for device in self.devices]
        self.released = ticket is not None
        offer = ReleaseOffer(tier=tier, devices=self.devices, ticket=ticket, expires_at=expires_at)
        # A customer without a subscription has no "subscription" that allows anything.
        template = None
        if limit == 0:
            template = (
                N_("No device can be linked to this account. Please ask the hotline.")
                if tier == "none"
                else N_("Your subscription allows no device to be linked. Please ask the hotline.")
            )
        super().__init__(
            template,
            fields={
                "device_limit": limit,
                "linked_devices": self.names,
                "release": offer.model_dump(mode="json"),
            },
        )

    def words(self, gettext, language: str) -> dict[str, str]:
        if self.limit == 0:
            return {}
        if self.tier == "none":
            allowed = (
                N_("Without a subscription, %(limit)s device can be linked")
                if self.limit == 1
                else N_("Without a subscription, %(limit)s devices can be linked")
            )
        else:
            allowed = (
                N_("Your subscription allows %(limit)s device")
                if self.limit == 1
                else N_("Your subscription allows %(limit)s devices")
            )
        one = len(self.names) == 1
        linked = N_("%(names)s is already linked.") if one else N_("%(names)s are already linked.")
        if self.released:
            remedy = (
                N_(
                    "Release one of them with this answer's release ticket, unlink one in the "
                    "assistant on that computer, or ask the hotline."
                )
                if one
                else N_(
                    "Release one of them with this answer's release ticket, unlink one in the "
                    "assistant on one of those computers, or ask the hotline."
                )
            )
        else:
            remedy = (
                N_("Unlink a device in the assistant on that computer, or ask the hotline.")
                if one
                else N_(
                    "Unlink a device in the assistant on one of those computers, or ask the "
                    "hotline."
                )
            )
        return {
            "allowed": gettext(allowed) % {"limit": self.limit},
            "linked": gettext(linked) % {"names": _quoted_names(self.names, gettext)},
            "remedy": gettext(remedy),
        }

    @property
    def releasable(self) -> bool:
        """Whether releasing one of the linked devices makes room for another."""
        return 1 <= len(self.devices) == self.limit

    def with_ticket(self, ticket: str, expires_at: datetime) -> DeviceLimitReached:
        return DeviceLimitReached(
            self.limit, self.tier, self.devices, ticket=ticket, expires_at=expires_at
        )


class DeviceLinkedElsewhere(ApiError):
    status_code = 409
    code = ErrorCode.DEVICE_LINKED_ELSEWHERE
    template = N_(
        "This computer is linked to another customer account. Unlink it there first, "
        "or ask the hotline."
    )


class ReleaseTicketInvalid(ApiError):
    status_code = 401
    code = ErrorCode.RELEASE_TICKET_INVALID

    REASONS = {
        "unknown": N_(
            "The release ticket is not known. Nothing was changed; sign in again to get a new one."
        ),
        "used": N_(
            "The release ticket has been used already. Nothing was changed; sign in again "
            "to get a new one."
        ),
        "expired": N_(
            "The release ticket has expired. Nothing was changed; sign in again to get a new one."
        ),
        "other_device": N_(
            "The release ticket was given to another computer. Nothing was changed; sign in "
            "again to get a new one."
        ),
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.REASONS[reason])


class ReleaseDeviceUnknown(ApiError):
    status_code = 404
    code = ErrorCode.RELEASE_DEVICE_UNKNOWN
    template = N_(
        "No computer with the id '%(device_id)s' is linked to this customer account (it "
        "may have been unlinked meanwhile). Nothing was changed."
    )

    def __init__(self, device_id: str) -> None:
        super().__init__(device_id=device_id)


class DeviceAuthMissing(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_AUTH_MISSING
    template = N_(
        "The request is not signed by a device: the header %(names)s is missing or empty."
    )

    def __init__(self, missing: list[str]) -> None:
        super().__init__(names=", ".join(missing))


class DeviceClockWrong(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_CLOCK_WRONG
    template = N_(
        "The request's time stamp is more than %(minutes)s minutes away from the server's "
        "time (or not a Unix time in seconds). Check the computer's date and time, then "
        "try again."
    )

    def __init__(self, max_age_seconds: int) -> None:
        super().__init__(minutes=max_age_seconds // 60)


class DeviceNotLinked(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_NOT_LINKED
    template = N_(
        "This device is not linked to a customer account (it may have been unlinked). "
        "Sign in again in the assistant to link it."
    )


class DeviceSignatureInvalid(ApiError):
    status_code = 401
    code = ErrorCode.DEVICE_SIGNATURE_INVALID
    template = N_("The request's device signature is not valid: %(reason)s.")

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason=reason)

    def words(self, gettext, language: str) -> dict[str, str]:
        # The server's own reasons are translated; a decoder's stays as it said it.
        return {"reason": gettext(self.reason)}


class OfflineUseOtherDevice(ApiError):
    status_code = 422
    code = ErrorCode.OFFLINE_USE_OTHER_DEVICE
    template = N_(
        "The report holds a use of device %(device_id)s: a device reports only its own "
        "offline code uses. Nothing was stored."
    )

    def __init__(self, device_id: str) -> None:
        super().__init__(device_id=device_id)
