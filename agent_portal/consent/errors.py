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


class ConsentError(LiveError):
    code = "consent_error"

    def __init__(self, message: str, *, consent_id: str | None = None, **kwargs) -> None:
        super().__init__(message, request_id=consent_id, **kwargs)
        self.consent_id = consent_id


class ConsentNotFound(ConsentError):
    code = "not_found"

    def __init__(self, consent_id: str | None = None) -> None:
        super().__init__("There is no such consent request.", consent_id=consent_id)


class ConsentNotActive(ConsentError):
    def __init__(self, status: str, consent_id: str | None = None) -> None:
        super().__init__(
            f"This consent is not active (it is {status}); nothing may be done under it.",
            consent_id=consent_id,
            code=f"consent_{status}",
        )
        self.status = status


class ConsentNotOpen(ConsentError):
    def __init__(self, status: str, consent_id: str | None = None) -> None:
        super().__init__(
            f"This request is no longer open (it is {status}); the agent may ask again.",
            consent_id=consent_id,
            code=f"consent_{status}",
        )
        self.status = status


class IllegalTransition(ConsentError):
    code = "illegal_transition"

    def __init__(self, event: str, status: str, consent_id: str | None = None) -> None:
        super().__init__(
            f"A consent that is {status} cannot take the step {event}.", consent_id=consent_id
        )
        self.event = event
        self.status = status


class ConsentRefused(ConsentError):
    code = "invalid_consent"
