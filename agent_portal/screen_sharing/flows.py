"""Screen sharing across the channels, each step under the customer's consent:

- `ask_to_see`, `ask_for_control`, `stop`: the portal's routes ask the customer (consent's
  `consent.request`, answered on the device) and end what the asker no longer wants;
- on the grant of a view (`on_view_granted`), a relay stream opens from the device's
  socket to the asker's tabs only, for the binary kind `SCREEN_UPDATE`; a viewer tab that
  was not open then gets it with its first `screen.pull` (`on_pull` opens it afresh);
- when a view closes for any reason (refused, revoked, withdrawn, timed out, its
  conversation closed, the device's socket gone) its stream closes (`on_consent_closed`);
  control closes with its view, and then no input passes (`on_input` checks each frame);
- `screen.pull` and `screen.input` go from the asker's tab to the device's socket as they
  came; `screen.status` from the device to the asker's tabs.

The handlers own their unit of work and commit here (`service` flushes only).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from functools import partial

from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import flows as consent_flows
from agent_portal.consent.errors import ConsentError
from agent_portal.consent.flows import DeviceUnavailable
from agent_portal.consent.models import ConsentRequest
from agent_portal.consent.service import Closed
from agent_portal.database import utcnow
from agent_portal.realtime import relay
from agent_portal.realtime.dispatch import Relation, device_binary_kind, device_kind, staff_kind
from agent_portal.realtime.errors import RelayRefused
from agent_portal.realtime.hub import LiveServices, device_channel, staff_channel
from agent_portal.screen_sharing import service
from agent_portal.screen_sharing.errors import N_, CannotAsk, NotTheViewer
from agent_portal.unit_of_work import committed
from isp_common.consent_wire import EndReason
from isp_common.screen_wire import SCREEN_UPDATE, purpose_of

log = logging.getLogger(__name__)

ASKERS = ("agent", "admin", "expert")
OFFLINE = N_("The customer's computer is offline: the assistant must be running to be asked.")


def _answer_within(live: LiveServices) -> timedelta:
    return timedelta(seconds=live.settings.screen_consent_seconds)


async def ask_to_see(
    live: LiveServices, *, conversation_id: int, staff_id: int, reason: str
) -> ConsentRequest:
    """Asks the conversation's customer to let `staff_id` see their screen, saying why."""
    reason = reason.strip()
    if not reason:
        raise CannotAsk(N_("Say why you want to see the screen: the customer reads it."))

    def check(db_session: Session) -> str:
        staff = db_session.get(StaffMember, staff_id)
        conversation = service.conversation_to_ask_in(
            db_session=db_session, conversation_id=conversation_id, staff=staff
        )
        service.refuse_a_second_view(
            db_session=db_session,
            conversation_id=conversation_id,
            staff_id=staff_id,
            now=live.now(),
        )
        return conversation.device_id

    device_id = await live.run_db(check)
    try:
        consent = await consent_flows.request_consent(
            live,
            kind=service.VIEW,
            device_id=device_id,
            staff_id=staff_id,
            reason=reason,
            answer_within=_answer_within(live),
            on_asked=partial(service.record_view, conversation_id=conversation_id),
        )
    except DeviceUnavailable:
        raise CannotAsk(OFFLINE) from None
    log.info("screen view %s asked in conversation %s", consent.id, conversation_id)
    return consent


async def ask_for_control(live: LiveServices, *, view_id: str, staff_id: int) -> ConsentRequest:
    """Asks the customer to let the view's asker control the screen too; only while the
    view is granted (NoActiveView otherwise)."""
    view = await live.run_db(
        service.view_for_control, consent_id=view_id, staff_id=staff_id, now=live.now()
    )
    try:
        return await consent_flows.request_consent(
            live,
            kind=service.CONTROL,
            device_id=view.device_id,
            staff_id=staff_id,
            reason=view.reason,
            parent_id=view_id,
            answer_within=_answer_within(live),
        )
    except DeviceUnavailable:
        raise CannotAsk(OFFLINE) from None


async def stop(live: LiveServices, *, consent_id: str, staff_id: int) -> None:
    """The asker ends their screen view (and control with it) or only the control."""

    def load(db_session: Session):
        consent = db_session.get(ConsentRequest, consent_id)
        if (
            consent is None
            or consent.kind not in (service.VIEW, service.CONTROL)
            or consent.requested_by_id != staff_id
        ):
            raise NotTheViewer(consent_id=consent_id)
        return consent.status, Actor.staff(db_session.get(StaffMember, staff_id))

    status, actor = await live.run_db(load)
    if status not in ("pending", "granted"):
        return  # over already: nothing to stop
    with contextlib.suppress(ConsentError):  # it closed meanwhile
        await consent_flows.end_consent(
            live, consent_id=consent_id, reason=EndReason.withdrawn, actor=actor
        )


# --- the stream -------------------------------------------------------------------------


async def _close_stream(live: LiveServices, consent_id: str) -> None:
    old = await live.run_db(committed(service.take_stream), consent_id=consent_id)
    if old is not None:
        stream_id, sender, receivers = old
        stream = relay.RelayStream(stream_id, sender, tuple(receivers), frozenset({SCREEN_UPDATE}))
        await relay.close_stream(live, stream)
        log.info("screen view %s: stream %s closed", consent_id, stream_id)


async def _open_stream(live: LiveServices, *, consent_id: str, sender: str, staff_id: int) -> bool:
    """A fresh stream for the view from the device's connection to every tab of its asker
    (an older one closes first); False when none of the asker's tabs is open."""
    await _close_stream(live, consent_id)
    try:
        stream = await relay.open_stream(
            live,
            sender=sender,
            to_staff=staff_id,
            kinds=[SCREEN_UPDATE],
            purpose=purpose_of(consent_id),
        )
    except RelayRefused as refused:
        log.info("screen view %s: no stream yet (%s)", consent_id, refused.code)
        return False
    kept = await live.run_db(
        committed(service.set_stream),
        consent_id=consent_id,
        stream_id=stream.id,
        receivers=list(stream.receivers),
        now=live.now(),
    )
    if not kept:  # the view closed while the stream opened
        await relay.close_stream(live, stream)
        return False
    log.info("screen view %s: stream %s to %s tab(s)", consent_id, stream.id, len(stream.receivers))
    return True


async def on_view_granted(live: LiveServices, consent, connection_id: str) -> None:
    if not await live.run_db(
        committed(service.set_sender), consent_id=consent.id, sender=connection_id
    ):
        log.warning("screen view %s: granted, but asked in no conversation", consent.id)
        return
    await _open_stream(
        live, consent_id=consent.id, sender=connection_id, staff_id=consent.requested_by_id
    )


async def on_view_closed(live: LiveServices, closed: Closed) -> None:
    await _close_stream(live, closed.consent_id)


async def _end_all(live: LiveServices, consent_ids: list[str], why: str) -> None:
    for consent_id in consent_ids:
        try:
            await consent_flows.end_consent(
                live, consent_id=consent_id, reason=EndReason.completed, actor=Actor.system()
            )
            log.info("screen view %s ended: %s", consent_id, why)
        except ConsentError:
            pass  # closed meanwhile


async def on_conversation_closed(live: LiveServices, conversation_id: int) -> None:
    """A conversation's end ends the screen views asked in it (and their control)."""
    ids = await live.run_db(service.open_views, conversation_id=conversation_id)
    await _end_all(live, ids, "its conversation closed")


async def on_device_disconnected(live: LiveServices, device_id: str, connection_id: str) -> None:
    """The picture's socket is gone: its views end (a new view is asked for anew)."""
    ids = await live.run_db(service.granted_views_sent_by, connection_id=connection_id)
    await _end_all(live, ids, f"device {device_id} disconnected")


# --- the frames -------------------------------------------------------------------------


async def on_pull(session, message) -> None:
    """To the device as it came; first a stream to this tab, if it has none yet (a viewer
    page opened after the grant)."""
    live = session.live
    view = await live.run_db(service.view_of, consent_id=message.consent_id)
    # The socket knows what it receives at once; the database may not have it yet.
    receiving = view is not None and view.sender in session.connection.streams_in.values()
    if view is not None and view.sender and not receiving:
        await _open_stream(
            live, consent_id=view.consent_id, sender=view.sender, staff_id=session.staff.id
        )
    device_id = await live.run_db(_device_of, consent_id=message.consent_id)
    await live.publish(device_channel(device_id), message)


async def on_input(session, message) -> None:
    live = session.live
    device_id = await live.run_db(_device_of, consent_id=message.consent_id)
    await live.publish(device_channel(device_id), message)


async def on_status(session, message) -> None:
    live = session.live

    def asker(db_session: Session) -> int | None:
        return db_session.get(ConsentRequest, message.consent_id).requested_by_id

    staff_id = await live.run_db(asker)
    if staff_id is not None:
        await live.publish(staff_channel(staff_id), message)


def _device_of(*, db_session: Session, consent_id: str) -> str:
    return db_session.get(ConsentRequest, consent_id).device_id


def _views(*, db_session: Session, sender, message) -> None:
    service.require_viewer(
        db_session=db_session, consent_id=message.consent_id, staff_id=sender.id, now=utcnow()
    )


def _controls(*, db_session: Session, sender, message) -> None:
    service.require_controller(
        db_session=db_session, consent_id=message.consent_id, staff_id=sender.id, now=utcnow()
    )


def _own_view(*, db_session: Session, sender, message) -> None:
    service.own_view(
        db_session=db_session, consent_id=message.consent_id, device_id=sender.id, now=utcnow()
    )


VIEWS = Relation("asked for the granted screen view", _views)
CONTROLS = Relation("controls the screen view", _controls)
OWN_VIEW = Relation("own granted screen view", _own_view)
STAFF_KINDS = {
    "screen.pull": staff_kind(on_pull, roles=ASKERS, relation=VIEWS),
    "screen.input": staff_kind(on_input, roles=ASKERS, relation=CONTROLS),
}
DEVICE_KINDS = {"screen.status": device_kind(on_status, relation=OWN_VIEW)}
DEVICE_BINARY_KINDS = {
    SCREEN_UPDATE: device_binary_kind(
        "screen.update", relay.forward, relation=relay.SENDS_ON_OPEN_STREAM
    )
}
