"""The desk's part of screen sharing (`LiveDesk` takes it in): the windows a view may show
alone or the customer may hide, who watches now, "Stop sharing", "Take back control",
the end of every view with the chat, and the indicator shown while anything is shared.
The work is `assistant.escalation.screen_share`'s; this is what the page and the
indicator ask of it."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class SharingDesk:
    """Needs `help` (LiveHelp or None), `stop_grant`, `changed`, `on_sharing` and
    `_sharing` from the desk."""

    def windows(self) -> list:
        """The windows a view may show alone, or the customer may hide while sharing."""
        return self.help.screen.windows() if self.help is not None else []

    def hide_window(self, window_id, hidden: bool) -> bool:
        if self.help is None or not self.help.screen.sessions():
            return False
        known = next((w.id for w in self.windows() if str(w.id) == str(window_id)), None)
        if known is None:
            return False
        if hidden:
            self.help.screen.hide(known)
        else:
            self.help.screen.show(known)
        self.changed()
        return True

    def sharing(self) -> list:
        """The screen views running now (for the indicator)."""
        return self.help.screen.sessions() if self.help is not None else []

    async def stop_all_sharing(self) -> bool:
        """The indicator's "Stop sharing": every view (and control with it) ends."""
        stopped = False
        for session in self.sharing():
            stopped = await self.stop_grant(session.consent_id) or stopped
        return stopped

    async def take_back_control(self) -> bool:
        stopped = False
        for session in self.sharing():
            if session.control_id is not None:
                stopped = await self.stop_grant(session.control_id) or stopped
        return stopped

    def _stop_views_of(self, conversation_id: int) -> None:
        """A chat ended: its views end too. A view whose request names no conversation
        (the server ends those with their conversation itself) ends here when no chat is
        open any more, so a view never outlives every chat."""
        if self.help is None:
            return
        still_open = any(
            info.status.value != "closed" and info.id != conversation_id
            for info in self.help.conversations()
        )
        for session in self.help.screen.sessions():
            owner = session.scope.get("conversation_id")
            mine = owner is not None and str(owner) == str(conversation_id)
            if mine or (owner is None and not still_open):
                self.help.screen.stop(session.consent_id, "chat_ended")

    def _on_screen_change(self) -> None:
        sharing = bool(self.sharing())
        if sharing != self._sharing:
            self._sharing = sharing
            try:
                self.on_sharing(sharing)
            except Exception:
                log.exception("could not show or hide the sharing indicator")
        self.changed()
