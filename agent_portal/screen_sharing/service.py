"""Screen sharing on a database session: who may ask, view and control, what is kept
beside a screen view's consent (its conversation, its relay stream), and the checks every
relayed frame passes. The consent itself is the consent domain's (`consent.service`:
asking, answers, the record); these functions flush and never commit.

    who                     may                                  else
    the conversation's      ask to see the screen (a screen_view  the conversation's own
    agent, an admin, the    consent), in a conversation that is   refusal; CannotAsk
    expert of a pre-chat    open and came from a linked device
    the view's asker        pull its picture, ask for control     NotTheViewer,
                            while the view is granted             ViewNotActive,
                                                                  NoActiveView
    the view's asker        send input while control, asked by    ControlNotGranted
                            them for this view, is granted
    the customer's device   report how the sharing stands, for    not_found,
                            its own granted view                  consent_<status>
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import access as chat_access
from agent_portal.chat import service as chat_service
from agent_portal.chat.access import Access
from agent_portal.chat.errors import ConversationNotFound
from agent_portal.chat.models import Conversation
from agent_portal.consent import service as consent_service
from agent_portal.consent import states
from agent_portal.consent.errors import ConsentNotActive, ConsentNotFound
from agent_portal.consent.models import ConsentRequest
from agent_portal.screen_sharing.errors import (
    N_,
    CannotAsk,
    ControlNotGranted,
    NoActiveView,
    NotTheViewer,
    ViewNotActive,
)
from agent_portal.screen_sharing.models import ScreenView
from isp_common.consent_wire import ConsentKind

VIEW = ConsentKind.screen_view.value
CONTROL = ConsentKind.control.value


def conversation_to_ask_in(
    *, db_session: Session, conversation_id: int, staff: StaffMember
) -> Conversation:
    """The conversation, when `staff` may ask its customer to see the screen in it: they
    write in it (its agent, an admin, the expert of their own pre-chat), it is not closed,
    and the customer wrote from a linked device."""
    conversation = chat_service.get_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    if conversation is None:
        raise ConversationNotFound()
    chat_access.ensure(staff, conversation, Access.write)
    if conversation.status == "closed":
        raise CannotAsk(N_("This conversation is closed: nobody can be asked in it any more."))
    if conversation.device_id is None:
        raise CannotAsk(
            N_("The customer did not write from a linked computer: there is no screen to ask for.")
        )
    return conversation


def refuse_a_second_view(
    *, db_session: Session, conversation_id: int, staff_id: int, now: datetime
) -> None:
    """CannotAsk while the staff member's earlier request in this conversation waits or is
    granted."""
    for view in open_views(db_session=db_session, conversation_id=conversation_id):
        consent = db_session.get(ConsentRequest, view)
        if consent.requested_by_id == staff_id and states.effective_status(consent, now) in (
            states.OPEN
        ):
            raise CannotAsk(
                N_("You have asked to see this screen already; the request is still open."),
                consent_id=consent.id,
            )


def record_view(*, db_session: Session, consent: ConsentRequest, conversation_id: int) -> None:
    """Keeps the conversation a screen view was asked in (in the asking transaction)."""
    db_session.add(ScreenView(consent_id=consent.id, conversation_id=conversation_id))
    db_session.flush()


def view_of(*, db_session: Session, consent_id: str) -> ScreenView | None:
    return db_session.get(ScreenView, consent_id)


def viewer_consent(*, db_session: Session, consent_id: str, staff_id: int) -> ConsentRequest:
    """The screen view's consent when `staff_id` asked for it; NotTheViewer otherwise (also
    for a view that does not exist, so nobody learns of others' views)."""
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None or consent.kind != VIEW or consent.requested_by_id != staff_id:
        raise NotTheViewer(consent_id=consent_id)
    return consent


def require_viewer(
    *, db_session: Session, consent_id: str, staff_id: int, now: datetime
) -> ConsentRequest:
    """The view, when `staff_id` asked for it and the customer grants it at `now`."""
    consent = viewer_consent(db_session=db_session, consent_id=consent_id, staff_id=staff_id)
    try:
        consent_service.require_active(
            db_session=db_session, kind=VIEW, consent_id=consent_id, now=now
        )
    except (ConsentNotActive, ConsentNotFound):
        raise ViewNotActive(consent_id=consent_id) from None
    return consent


def control_of(*, db_session: Session, view_id: str, now: datetime) -> ConsentRequest | None:
    """The control consent of this view that is granted at `now`, if any."""
    for consent in db_session.scalars(
        select(ConsentRequest).where(
            ConsentRequest.parent_id == view_id,
            ConsentRequest.kind == CONTROL,
            ConsentRequest.status == "granted",
        )
    ):
        if states.effective_status(consent, now) == "granted":
            return consent
    return None


def open_control_of(*, db_session: Session, view_id: str, now: datetime) -> ConsentRequest | None:
    """The control consent of this view that waits for the answer or is granted."""
    for consent in db_session.scalars(
        select(ConsentRequest).where(
            ConsentRequest.parent_id == view_id,
            ConsentRequest.kind == CONTROL,
            ConsentRequest.status.in_(states.OPEN),
        )
    ):
        if states.effective_status(consent, now) in states.OPEN:
            return consent
    return None


def require_controller(
    *, db_session: Session, consent_id: str, staff_id: int, now: datetime
) -> ConsentRequest:
    """The granted control of view `consent_id`, when `staff_id` asked for both and the
    customer grants both at `now`; ControlNotGranted otherwise (NotTheViewer for another
    staff member's view)."""
    viewer_consent(db_session=db_session, consent_id=consent_id, staff_id=staff_id)
    try:
        consent_service.require_active(
            db_session=db_session, kind=VIEW, consent_id=consent_id, now=now
        )
    except (ConsentNotActive, ConsentNotFound):
        raise ControlNotGranted(consent_id=consent_id) from None
    control = control_of(db_session=db_session, view_id=consent_id, now=now)
    if control is None or control.requested_by_id != staff_id:
        raise ControlNotGranted(consent_id=consent_id)
    return control


def view_for_control(
    *, db_session: Session, consent_id: str, staff_id: int, now: datetime
) -> ConsentRequest:
    """The view control may be asked for: theirs, granted now, without an open control."""
    consent = viewer_consent(db_session=db_session, consent_id=consent_id, staff_id=staff_id)
    if states.effective_status(consent, now) != "granted":
        raise NoActiveView(consent_id=consent_id)
    if open_control_of(db_session=db_session, view_id=consent_id, now=now) is not None:
        raise CannotAsk(
            N_("Remote control is asked for or allowed already."), consent_id=consent_id
        )
    return consent


def own_view(
    *, db_session: Session, consent_id: str, device_id: str, now: datetime
) -> ConsentRequest:
    """The device's own screen view, granted at `now`: ConsentNotFound for another
    device's or another kind, ConsentNotActive when not granted (now)."""
    consent = consent_service.own(db_session=db_session, consent_id=consent_id, device_id=device_id)
    if consent.kind != VIEW:
        raise ConsentNotFound(consent_id)
    return consent_service.require_active(
        db_session=db_session, kind=VIEW, consent_id=consent_id, device_id=device_id, now=now
    )


def set_sender(*, db_session: Session, consent_id: str, sender: str) -> bool:
    """The device connection that granted the view: its picture comes from there. False
    for a view consent asked outside a conversation (none is, but the record allows it):
    it has nobody to show the picture to."""
    view = db_session.get(ScreenView, consent_id)
    if view is None:
        return False
    view.sender = sender
    db_session.flush()
    return True


def set_stream(
    *,
    db_session: Session,
    consent_id: str,
    stream_id: int,
    receivers: list[str],
    now: datetime,
) -> bool:
    """Keeps the view's open stream; False (nothing kept) when the view is no longer
    granted at `now`, so the caller closes the stream it just opened."""
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None or states.effective_status(consent, now) != "granted":
        return False
    view = db_session.get(ScreenView, consent_id)
    view.stream_id, view.receivers, view.stream_opened_at = stream_id, list(receivers), now
    db_session.flush()
    return True


def take_stream(*, db_session: Session, consent_id: str) -> tuple[int, str, list[str]] | None:
    """The view's open stream (id, sender, receivers), forgotten here; None if none."""
    view = db_session.get(ScreenView, consent_id)
    if view is None or view.stream_id is None:
        return None
    stream = (view.stream_id, view.sender, list(view.receivers or []))
    view.stream_id = view.receivers = view.stream_opened_at = None
    db_session.flush()
    return stream


def open_views(*, db_session: Session, conversation_id: int) -> list[str]:
    """The screen views asked in the conversation that wait for the answer or are granted."""
    return list(
        db_session.scalars(
            select(ScreenView.consent_id)
            .join(ConsentRequest, ConsentRequest.id == ScreenView.consent_id)
            .where(
                ScreenView.conversation_id == conversation_id,
                ConsentRequest.status.in_(states.OPEN),
            )
        )
    )


def granted_views_sent_by(*, db_session: Session, connection_id: str) -> list[str]:
    """The granted screen views whose picture comes from this device connection."""
    return list(
        db_session.scalars(
            select(ScreenView.consent_id)
            .join(ConsentRequest, ConsentRequest.id == ScreenView.consent_id)
            .where(ScreenView.sender == connection_id, ConsentRequest.status == "granted")
        )
    )


def views_in_conversation(*, db_session: Session, conversation_id: int) -> list[ConsentRequest]:
    """Every screen view asked in the conversation, newest first."""
    return list(
        db_session.scalars(
            select(ConsentRequest)
            .join(ScreenView, ScreenView.consent_id == ConsentRequest.id)
            .where(ScreenView.conversation_id == conversation_id)
            .order_by(ConsentRequest.created_at.desc(), ConsentRequest.id)
        )
    )
