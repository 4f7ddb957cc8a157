"""How roles are called on the pages, in the reader's language, and where each starts."""

from __future__ import annotations

from agent_portal.auth.errors import N_
from agent_portal.i18n import _

ROLE_LABELS = {
    "agent": N_("Hotline agent"),
    "expert": N_("Expert"),
    "admin": N_("Administrator"),
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


# Where each role starts after logging in.
HOME_PATHS = {
    "agent": "/portal/customers",
    "admin": "/portal/customers",
    "expert": "/portal/expert",
}


def home_path(role: str) -> str | None:
    return HOME_PATHS.get(role)
