"""What the expert's desk can refuse.

ChatError (`chat.errors`; on a channel it becomes an error frame)
└── ExpertNotFound    code expert_not_found (no such expert, or not taking customers)
"""

from __future__ import annotations

from agent_portal.chat.errors import ChatError
from isp_common.i18n import N_


class ExpertNotFound(ChatError):
    code = "expert_not_found"

    def __init__(self) -> None:
        super().__init__(N_("There is no such expert."))
