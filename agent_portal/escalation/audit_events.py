"""What offers of experts write to the audit log (`Domain.audit_events`). The values are
stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    EXPERT_OFFERED = "expert_offered"
    EXPERT_OFFER_ACCEPTED = "expert_offer_accepted"
    EXPERT_OFFER_DECLINED = "expert_offer_declined"
    EXPERT_OFFER_WITHDRAWN = "expert_offer_withdrawn"
    EXPERT_OFFER_EXPIRED = "expert_offer_expired"


TEXTS = {
    Event.EXPERT_OFFERED: N_("Expert %(expert)s offered in conversation %(conversation_id)s"),
    Event.EXPERT_OFFER_ACCEPTED: N_(
        "Offer of expert %(expert)s accepted: conversation %(conversation_id)s handed over"
    ),
    Event.EXPERT_OFFER_DECLINED: N_("Offer of expert %(expert)s declined"),
    Event.EXPERT_OFFER_WITHDRAWN: N_("Offer of expert %(expert)s withdrawn"),
    Event.EXPERT_OFFER_EXPIRED: N_("Offer of expert %(expert)s expired unanswered"),
}
