"""What can go wrong with a consent. Each error has a stable `code`; on the device channel
it becomes an error frame naming the consent (`request_id`).

ConsentError (a LiveError)
├── ConsentNotFound       code not_found: no such consent, or not one made to this device
│                         (another device's is answered like one that does not exist)
├── ConsentNotActive      code consent_<status>: not granted (now), so nothing may be
│                         relayed under it; `status` says what it is instead
├── ConsentNotOpen        code consent_<status>: answered already, or over (an answer
│                         that comes after the request timed out)
├── IllegalTransition     code illegal_transition: the status does not allow the step
│                         (`states`), e.g. revoking what was never granted
└── ConsentRefused        code invalid_consent: a request or answer that cannot be one
                          (a kind that does not exist, an asker whose role may not ask
                          for it, control without its screen view, a choice the kind
                          does not offer, a grant with a decline reason)
"""

from __future__ import annotations

from agent_portal.realtime.errors import LiveError

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


class ConsentError(LiveError):
    code = "consent_error"

    def __init__(
        self, template: str | None = None, /, *, consent_id: str | None = None, **kwargs
    ) -> None:
        self.consent_id = consent_id
        super().__init__(template, request_id=consent_id, **kwargs)


class ConsentNotFound(ConsentError):
    status_code = 404
    code = "not_found"
    template = N_("There is no such consent request.")

    def __init__(self, consent_id: str | None = None) -> None:
        super().__init__(consent_id=consent_id)


class ConsentNotActive(ConsentError):
    status_code = 409
    template = N_("This consent is not active (it is %(status)s); nothing may be done under it.")

    def __init__(self, status: str, consent_id: str | None = None) -> None:
        self.status = status
        super().__init__(consent_id=consent_id, code=f"consent_{status}", status=status)


class ConsentNotOpen(ConsentError):
    status_code = 409
    template = N_("This request is no longer open (it is %(status)s); the agent may ask again.")

    def __init__(self, status: str, consent_id: str | None = None) -> None:
        self.status = status
        super().__init__(consent_id=consent_id, code=f"consent_{status}", status=status)


class IllegalTransition(ConsentError):
    status_code = 409
    code = "illegal_transition"
    template = N_("A consent that is %(status)s cannot take the step %(event)s.")

    def __init__(self, event: str, status: str, consent_id: str | None = None) -> None:
        self.event = event
        self.status = status
        super().__init__(consent_id=consent_id, event=event, status=status)


class ConsentRefused(ConsentError):
    code = "invalid_consent"
