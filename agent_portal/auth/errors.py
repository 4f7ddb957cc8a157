"""What can go wrong in the staff and auth domain.

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

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


class AuthError(Exception):
    """Base of this domain's errors."""


class LoginRequired(AuthError):
    def __init__(self, next_path: str | None = None) -> None:
        super().__init__("login required")
        self.next_path = next_path


class PasswordChangeRequired(AuthError):
    def __init__(self, next_path: str | None = None) -> None:
        super().__init__("password change required")
        self.next_path = next_path


class RoleForbidden(AuthError):
    def __init__(self, role: str, allowed: frozenset[str]) -> None:
        super().__init__(f"role {role} may not use this page (allowed: {sorted(allowed)})")
        self.role = role
        self.allowed = allowed


class RelationForbidden(AuthError):
    """Why the staff member may not see this resource: an English template and its values
    apart, so the page shows it translated (`translated(_)`)."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % self.values if self.values else text


class CsrfRejected(AuthError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ApiKeyMissing(AuthError):
    pass


class ApiKeyInvalid(AuthError):
    pass


class InvalidInput(AuthError, ValueError):
    """A message meant for the person who typed the value. The English template is kept
    apart from its values, so a page can show it translated: `error.translated(_)`."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % self.values if self.values else text


class DuplicateUsername(InvalidInput):
    pass


class LastActiveAdmin(InvalidInput):
    pass
