"""The customer's appointments with experts as the live channel tells them: the open
proposals and coming appointments, read from the server at every (re)connect, kept up to
date by the server's `appointment.changed` frames; and the notices the customer reads on
any tab of the assistant until they dismiss them: a new proposal, an appointment the
expert cancelled, and the reminder (`appointment.reminder`, once, shortly before the
start).

    board = AppointmentBoard(channel, load=client.upcoming, on_change=refresh)
    board.appointments()        # [AppointmentView], soonest first
    board.notices()             # [Notice(key, kind, appointment)], oldest first
    board.update(view)          # what an answer through the API returned
    board.dismiss(key)          # False when no such notice is shown

`load` runs on a thread (it asks the server over HTTP); when it fails, the board keeps
what it had and the frames still arrive. Frames and answers that come while it runs are
newer than its list, which may have been read before them: those appointments keep what
the frames said (before, a reload at a reconnect could put an accepted appointment back
to "proposed").
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass

from isp_common.appointments_wire import (
    APPOINTMENT_CHANGED,
    APPOINTMENT_REMINDER,
    AppointmentNotice,
    AppointmentStatus,
    AppointmentView,
)

log = logging.getLogger(__name__)

PROPOSED = "proposed"
CANCELLED = "cancelled"
REMINDER = "reminder"
ENDED = (AppointmentStatus.declined, AppointmentStatus.cancelled)


@dataclass(frozen=True)
class Notice:
    key: str
    kind: str  # PROPOSED, CANCELLED (by the expert) or REMINDER
    appointment: AppointmentView


class AppointmentBoard:
    def __init__(
        self,
        channel,
        *,
        load: Callable[[], list[AppointmentView]] | None = None,
        on_change: Callable[[], object] | None = None,
    ) -> None:
        self._load = load
        self._on_change = on_change
        self._by_id: dict[int, AppointmentView] = {}
        self._notices: dict[str, Notice] = {}
        # For each reload under way, the appointments a frame or an answer changed since
        # it began: the server's list may be older than those.
        self._changed_during_reloads: list[set[int]] = []
        channel.on(APPOINTMENT_CHANGED, self._on_changed)
        channel.on(APPOINTMENT_REMINDER, self._on_reminder)
        channel.on_connected(self.reload)

    # --- what the page shows -------------------------------------------------------------

    def appointments(self) -> list[AppointmentView]:
        return sorted(self._by_id.values(), key=lambda view: (view.starts_at, view.id))

    def notices(self) -> list[Notice]:
        return list(self._notices.values())

    def dismiss(self, key: str) -> bool:
        if self._notices.pop(key, None) is None:
            return False
        self._changed()
        return True

    # --- what changes it -----------------------------------------------------------------

    async def reload(self) -> None:
        """The server's list (proposals awaiting an answer, coming appointments)."""
        if self._load is None:
            return
        changed_meanwhile: set[int] = set()
        self._changed_during_reloads.append(changed_meanwhile)
        try:
            found = await asyncio.to_thread(self._load)
        except Exception as error:  # offline, or a server without appointments
            log.info("appointments not read: %s", error)
            return
        finally:
            self._changed_during_reloads.remove(changed_meanwhile)
        fresh = {view.id: view for view in found}
        for appointment_id in changed_meanwhile:
            if appointment_id in self._by_id:
                fresh[appointment_id] = self._by_id[appointment_id]
        self._by_id = fresh
        self._changed()

    def _keep(self, appointment: AppointmentView) -> None:
        self._by_id[appointment.id] = appointment
        for changed_meanwhile in self._changed_during_reloads:
            changed_meanwhile.add(appointment.id)

    def update(self, appointment: AppointmentView) -> None:
        """The customer's own change (an answer through the server's API)."""
        self._keep(appointment)
        self._forget_outdated(appointment)
        self._changed()

    def _on_changed(self, frame: AppointmentNotice) -> None:
        appointment = frame.appointment
        known = self._by_id.get(appointment.id)
        self._keep(appointment)
        self._forget_outdated(appointment)
        if appointment.status is AppointmentStatus.proposed and known is None:
            self._add(PROPOSED, appointment)
        elif (
            appointment.status is AppointmentStatus.cancelled
            and appointment.cancelled_by == "expert"
            and (known is None or known.status is not AppointmentStatus.cancelled)
        ):
            self._add(CANCELLED, appointment)
        self._changed()

    def _on_reminder(self, frame: AppointmentNotice) -> None:
        self._keep(frame.appointment)
        self._add(REMINDER, frame.appointment)
        self._changed()

    def _add(self, kind: str, appointment: AppointmentView) -> None:
        key = f"{kind}-{appointment.id}"
        self._notices.pop(key, None)  # a repeat moves to the end, with the latest facts
        self._notices[key] = Notice(key, kind, appointment)

    def _forget_outdated(self, appointment: AppointmentView) -> None:
        """A proposal answered, or an appointment that ended, needs no notice of before."""
        if appointment.status is not AppointmentStatus.proposed:
            self._notices.pop(f"{PROPOSED}-{appointment.id}", None)
        if appointment.status in ENDED:
            self._notices.pop(f"{REMINDER}-{appointment.id}", None)
        for key, notice in list(self._notices.items()):
            if notice.appointment.id == appointment.id:
                self._notices[key] = Notice(key, notice.kind, appointment)

    def _changed(self) -> None:
        if self._on_change is None:
            return
        try:
            outcome = self._on_change()
            if inspect.isawaitable(outcome):
                asyncio.ensure_future(outcome)
        except Exception:
            log.exception("the page could not be told of the appointments")
