"""What an offer of an expert can refuse.

ChatError (`chat.errors`; on a channel it becomes an error frame, on a page a message)
├── OfferRefused      code offer_refused (not this agent's chat, an offer already waiting,
│                     a note too long)
├── OfferNotFound     code offer_not_found (none such for this customer or agent)
└── OfferClosed       code offer_closed (answered, withdrawn or expired already)
ExpertNotFound (`expert_desk.errors`) when the expert is unknown, not approved, suspended
or without an active account.
"""

from __future__ import annotations

from agent_portal.chat.errors import ChatError
from isp_common.i18n import N_


class OfferRefused(ChatError):
    code = "offer_refused"


class OfferNotFound(ChatError):
    code = "offer_not_found"

    def __init__(self) -> None:
        super().__init__(N_("There is no such offer."))


class OfferClosed(ChatError):
    code = "offer_closed"

    def __init__(self) -> None:
        super().__init__(N_("This offer has been answered, withdrawn or has expired."))
