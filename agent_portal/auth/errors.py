"""What can go wrong in the staff and auth domain: `agent_portal.errors.PortalError`s, each
with its code and a message in the reader's language. The browser's refusals have their own
answers (`handlers`: a redirect or a page); the API keys' are answered like every API error.

AuthError
├── LoginRequired        no valid portal session: the browser goes to the login page
├── PasswordChangeRequired  logged in with an initial password: the browser goes to the
│                        change-password page first
├── RoleForbidden        logged in, but the role may not use this page (403 page)
├── RelationForbidden    the role may, but the staff member has no relation to what the
│                        page is about, e.g. a colleague's chat (403 page with the reason)
├── CsrfRejected         a form came without the right CSRF token (403 page)
├── ApiKeyMissing        an API call without a key (401 JSON)
├── ApiKeyInvalid        an API call with an unknown or revoked key (401 JSON)
└── InvalidInput         a value a person typed is not acceptable (ValueError too)
    ├── DuplicateUsername
    └── LastActiveAdmin  the change would leave the portal without an active admin
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError
from agent_portal.errors import PortalError

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_
from isp_common.premium_wire import ErrorCode


class AuthError(PortalError):
    """Base of this domain's errors."""

    code = "auth_error"


class LoginRequired(AuthError):
    status_code = 401
    code = "login_required"
    template = N_("Please log in first.")

    def __init__(self, next_path: str | None = None) -> None:
        self.next_path = next_path
        super().__init__()


class PasswordChangeRequired(AuthError):
    status_code = 403
    code = "password_change_required"
    template = N_("Change your initial password first.")

    def __init__(self, next_path: str | None = None) -> None:
        self.next_path = next_path
        super().__init__()


class RoleForbidden(AuthError):
    status_code = 403
    code = "forbidden"
    template = N_("Your role %(role)s may not use this page; it is for: %(allowed)s.")

    def __init__(self, role: str, allowed: frozenset[str]) -> None:
        self.role = role
        self.allowed = allowed
        super().__init__(role=role, allowed=", ".join(sorted(allowed)))


class RelationForbidden(AuthError):
    """Why the staff member may not see this resource: an English template and its values
    apart, so the page shows it translated (`translated(_)`)."""

    status_code = 403
    code = "forbidden"


class CsrfRejected(AuthError):
    status_code = 403
    code = "csrf_rejected"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ApiKeyMissing(AuthError, ApiError):
    status_code = 401
    code = ErrorCode.API_KEY_MISSING
    template = N_(
        "The API key is missing: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
    )

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


class ApiKeyInvalid(AuthError, ApiError):
    status_code = 401
    code = ErrorCode.API_KEY_INVALID
    template = N_("The API key is not valid: it is unknown or has been revoked.")

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


class InvalidInput(AuthError, ValueError):
    """A message meant for the person who typed the value. The English template is kept
    apart from its values, so a page can show it translated: `error.translated(_)`."""

    code = "invalid_input"


class DuplicateUsername(InvalidInput):
    status_code = 409
    code = "duplicate_username"


class LastActiveAdmin(InvalidInput):
    status_code = 409
    code = "last_active_admin"
