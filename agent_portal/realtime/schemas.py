"""Frames of the staff channel `/ws/staff` (the portal's own JavaScript speaks it).

Tab → server: `activity` (the tab is visible and had input), `watch` (show me this
conversation's events), `ping`, and the chat frames of `isp_common.live_wire`
(`chat.send`, `chat.fetch`, `chat.typing`). Server → tab: `presence`, `inbox.changed`,
`consent.updated`, `access.changed`, and the chat frames.

`access.changed` also travels between the workers on `staff:<id>`: the staff member's
access changed (deactivated, another role, a new password), so every socket of theirs
says so to its tab (which reloads) and closes; a reopened socket carries what holds now.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from isp_common.live_wire import ChatFetch, ChatSend, ChatTyping, Ping
from isp_common.screen_wire import ScreenInput, ScreenPull

# The server closed the socket because the staff member's access changed.
CLOSE_ACCESS_CHANGED = 4403


class Activity(BaseModel):
    type: Literal["activity"] = "activity"


class Watch(BaseModel):
    type: Literal["watch"] = "watch"
    conversation_id: int


StaffMessage = Annotated[
    Activity | Watch | Ping | ChatSend | ChatFetch | ChatTyping | ScreenPull | ScreenInput,
    Field(discriminator="type"),
]
staff_message = TypeAdapter(StaffMessage)


def staff_presence_event(staff_id: int, status: str) -> dict:
    return {"type": "presence", "kind": "staff", "id": staff_id, "status": status}


INBOX_CHANGED = {"type": "inbox.changed"}


class AccessChanged(BaseModel):
    type: Literal["access.changed"] = "access.changed"
    # The portal session whose sockets stay open (a member who changed their own
    # password keeps the tab they did it in); None: every socket closes.
    keep_session_id: int | None = None


ACCESS_CHANGED_PREFIX = '{"type":"access.changed"'
