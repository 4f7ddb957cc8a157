"""The consent kinds of screen sharing (`assistant.escalation.consent`): what the dialog
says a grant shares, whether it can be served at all right now, and the work once
granted, which is `assistant.escalation.screen_share.ScreenShare`'s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.escalation import screen_texts

if TYPE_CHECKING:
    from assistant.escalation.screen_share import ScreenShare


class ScreenViewKind:
    """The consent kind `screen_view`."""

    def __init__(self, share: ScreenShare) -> None:
        self.share = share

    def unavailable(self, frame) -> str | None:
        reason = self.share.availability()
        return None if reason is None else str(getattr(reason, "value", reason))

    def describe(self, frame) -> list[str]:
        return screen_texts.screen_items("screen_view")

    async def serve(self, question) -> str:
        return await self.share.run_view(question)


class ControlKind:
    """The consent kind `control`: only while the view it belongs to is sharing."""

    def __init__(self, share: ScreenShare) -> None:
        self.share = share

    def unavailable(self, frame) -> str | None:
        return self.share.control_unavailable(frame.parent_id)

    def describe(self, frame) -> list[str]:
        return screen_texts.screen_items("control")

    async def serve(self, question) -> str:
        return await self.share.run_control(question)
