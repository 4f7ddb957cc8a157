"""What linking, releasing and signing in devices (and the customers' sign-in passwords)
write to the audit log, and how the log words it (`Domain.audit_events`). The values are
stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    DEVICE_LINKED = "device_linked"
    DEVICE_LINK_REFUSED = "device_link_refused"
    DEVICE_UNLINKED = "device_unlinked"
    DEVICE_RELEASED = "device_released"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_LOCKED = "sign_in_locked"
    PASSWORD_SET = "password_set"
    ACTIVATION_CODE_CREATED = "activation_code_created"


TEXTS = {
    Event.DEVICE_LINKED: N_("Device “%(device_name)s” linked"),
    Event.DEVICE_LINK_REFUSED: N_("Device link refused (%(reason)s)"),
    Event.DEVICE_UNLINKED: N_("Device “%(device_name)s” unlinked"),
    Event.DEVICE_RELEASED: N_("Device “%(device_name)s” released for “%(for_device_name)s”"),
    Event.SIGN_IN_FAILED: N_("Failed sign-in in the assistant"),
    Event.SIGN_IN_LOCKED: N_("Sign-in locked after failed attempts"),
    Event.PASSWORD_SET: N_("Sign-in password set"),
    Event.ACTIVATION_CODE_CREATED: N_("Activation code created"),
}
