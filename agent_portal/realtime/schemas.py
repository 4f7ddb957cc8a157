"""Frames of the staff channel `/ws/staff` (the portal's own JavaScript speaks it).

Tab → server: `activity` (the tab is visible and had input), `watch` (show me this
conversation's events), `ping`, and the chat frames of `isp_common.live_wire`
(`chat.send`, `chat.fetch`, `chat.typing`). Server → tab: `presence`, `inbox.changed`,
`consent.updated`, and the chat frames.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from isp_common.live_wire import ChatFetch, ChatSend, ChatTyping, Ping


class Activity(BaseModel):
    type: Literal["activity"] = "activity"


class Watch(BaseModel):
    type: Literal["watch"] = "watch"
    conversation_id: int


StaffMessage = Annotated[
    Activity | Watch | Ping | ChatSend | ChatFetch | ChatTyping, Field(discriminator="type")
]
staff_message = TypeAdapter(StaffMessage)


def staff_presence_event(staff_id: int, status: str) -> dict:
    return {"type": "presence", "kind": "staff", "id": staff_id, "status": status}


INBOX_CHANGED = {"type": "inbox.changed"}
