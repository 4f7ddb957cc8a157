"""What the page and the indicator show of screen sharing, in the current language: the
consent dialog's choice of screen or window, who watches now (and whether they control),
the windows the customer may hide, and the list of what was shared with whom."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from assistant import formats
from assistant.escalation import screen_texts, texts
from assistant.i18n import _

if TYPE_CHECKING:
    from assistant.escalation.consent import Question
    from assistant.escalation.desk import LiveDesk
    from assistant.escalation.share_history import ShareHistory


def _windows(desk: LiveDesk) -> list[dict]:
    # The indicator is never in the picture: it is no window to share or to hide.
    indicator = desk.indicator_title()
    return [
        {"id": str(window.id), "title": window.title or _("(a window without a title)")}
        for window in desk.windows()
        if not (indicator and window.title == indicator)
    ]


def choice_view(question: Question, desk: LiveDesk) -> dict:
    """A view's dialog offers the whole screen, one window (picked from the list), or no."""
    return {
        "choices": True,
        "allow_window": _("Share one window"),
        "pick_window": _("Which window?"),
        "share_window": _("Share this window"),
        "no_windows": _("No window can be shared alone right now."),
        "windows": _windows(desk),
    }


def sharing_view(desk: LiveDesk) -> dict:
    """The indicator's state: who watches, who controls, the windows to hide."""
    sessions = desk.sharing()
    hidden = set()
    if desk.help is not None:
        hidden = {str(window_id) for window_id in desk.help.screen.hidden}
    return {
        "active": bool(sessions),
        "control": any(session.control for session in sessions),
        "lines": [screen_texts.watching_text(s.viewer, s.control) for s in sessions],
        "views": [
            {
                "id": session.consent_id,
                "viewer": session.viewer,
                "control": session.control,
                "choice": screen_texts.choice_text(session.choice),
            }
            for session in sessions
        ],
        "windows": [window | {"hidden": window["id"] in hidden} for window in _windows(desk)]
        if sessions
        else [],
    }


def _when(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{formats.day(moment)}, {formats.time_of_day(moment)}"


def history_view(history: ShareHistory) -> list[dict]:
    """Each screen view and control request: who asked, when, the answer, when it ended."""
    rows = []
    for entry in history.entries():
        if entry.kind not in ("screen_view", "control"):
            continue
        answer = screen_texts.outcome_text(entry.answer)
        if entry.answer == "granted" and entry.choice:
            answer = f"{answer} ({screen_texts.choice_text(entry.choice)})"
        rows.append(
            {
                "id": entry.consent_id,
                "kind": screen_texts.kind_text(entry.kind),
                "device": screen_texts.device_text(entry.device_name),
                "who": texts.asker_text(entry.requester_name, entry.requester_role),
                "why": entry.reason,
                "asked": _when(entry.asked_at),
                "answer": answer,
                "stopped": (
                    f"{_when(entry.stopped_at)} ({screen_texts.stop_text(entry.stop_reason)})"
                    if entry.stopped_at
                    else ""
                ),
            }
        )
    return rows
