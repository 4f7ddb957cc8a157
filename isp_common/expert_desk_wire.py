"""What the assistant learns of experts' availability (`GET /api/v1/expert-desk/presence`).

An expert is offered as online only while a portal tab of theirs is open and used, and
they are neither away (by choice, or because a customer's pre-chat went unanswered) nor
busy (in a paid session). A customer may write to an expert in any status: to one who is
not online, the message waits (an offline message).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

PRESENCE_PATH = "/api/v1/expert-desk/presence"
PRESENCE_MAX_IDS = 100


class ExpertStatus(StrEnum):
    online = "online"  # a tab open and used, not away, not busy: answers now
    busy = "busy"  # in a paid session
    away = "away"  # a tab open, but away (chosen, unanswered pre-chat, or idle)
    offline = "offline"  # no tab open


class ExpertPresence(BaseModel):
    model_config = ConfigDict(extra="ignore")
    expert_id: int
    status: ExpertStatus


class ExpertPresenceList(BaseModel):
    model_config = ConfigDict(extra="ignore")
    experts: list[ExpertPresence] = Field(default_factory=list)

    def status_of(self, expert_id: int) -> ExpertStatus:
        for entry in self.experts:
            if entry.expert_id == expert_id:
                return entry.status
        return ExpertStatus.offline
