"""What admins' work on experts writes to the audit log, and how the log words it
(`Domain.audit_events`). The values are stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    EXPERT_PROFILE_SUBMITTED = "expert_profile_submitted"
    EXPERT_PROFILE_APPROVED = "expert_profile_approved"
    EXPERT_PROFILE_REJECTED = "expert_profile_rejected"
    EXPERT_SUSPENDED = "expert_suspended"
    EXPERT_REINSTATED = "expert_reinstated"
    EXPERT_CATEGORY_ADDED = "expert_category_added"
    EXPERT_CATEGORY_CHANGED = "expert_category_changed"
    EXPERT_CATEGORY_REMOVED = "expert_category_removed"


TEXTS = {
    Event.EXPERT_PROFILE_SUBMITTED: N_("Expert profile of %(expert)s sent for approval"),
    Event.EXPERT_PROFILE_APPROVED: N_("Expert profile of %(expert)s approved"),
    Event.EXPERT_PROFILE_REJECTED: N_("Expert profile of %(expert)s rejected: %(reason)s"),
    Event.EXPERT_SUSPENDED: N_("Expert %(expert)s suspended: %(reason)s"),
    Event.EXPERT_REINSTATED: N_("Expert %(expert)s reinstated"),
    Event.EXPERT_CATEGORY_ADDED: N_("Expert category “%(name)s” added"),
    Event.EXPERT_CATEGORY_CHANGED: N_("Expert category “%(name)s” changed"),
    Event.EXPERT_CATEGORY_REMOVED: N_("Expert category “%(name)s” removed"),
}
