"""Who may ask to see a customer's screen, view it, ask for control and send input, on
SQLite and PostgreSQL: only the conversation's own agent (or the expert of their own
pre-chat) asks; only the asker pulls, and only while the customer allows the view; control
only on a granted view, input only while control is granted to that asker; no answer in
time is a refusal; the customer's device speaks only of its own view."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.chat.errors import ConversationForbidden
from agent_portal.consent import service as consent
from agent_portal.consent.errors import ConsentNotActive, ConsentNotFound, ConsentRefused
from agent_portal.consent.models import ConsentEvent
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.screen_sharing import service
from agent_portal.screen_sharing.errors import (
    CannotAsk,
    ControlNotGranted,
    NoActiveView,
    NotTheViewer,
    ViewNotActive,
)
from agent_portal.screen_sharing.models import ScreenView
from tests.agent_portal.screen_sharing.support import expert_prechat, hotline_chat

ANSWER_WITHIN = timedelta(seconds=60)


@pytest.fixture
def scene(world):
    customer = world.customer()
    device, _key = world.device(customer)
    other_customer = world.customer("K-999999", name="Max Muster")
    other_device, _key = world.device(other_customer, name="Fremder-PC")
    anna = world.staff("anna.berger", name="Anna Berger")
    bob = world.staff("bob.keller", name="Bob Keller")
    chat = hotline_chat(world, customer, device, anna)
    return {
        "device": device.id,
        "other_device": other_device.id,
        "anna": anna,
        "bob": bob,
        "chat": chat,
        "customer": customer,
    }


def ask_view(db_session, scene, staff, now, conversation_id=None):
    member = db_session.get(StaffMember, staff.id)
    conversation = service.conversation_to_ask_in(
        db_session=db_session,
        conversation_id=conversation_id or scene["chat"],
        staff=member,
    )
    view = consent.ask(
        db_session=db_session,
        kind="screen_view",
        device=db_session.get(Device, conversation.device_id),
        staff=member,
        now=now,
        answer_within=ANSWER_WITHIN,
        lasts=None,
        reason="Ich möchte die WLAN-Einstellungen sehen.",
    )
    service.record_view(db_session=db_session, consent=view, conversation_id=conversation.id)
    return view


def grant(db_session, consent_request, device_id, now, choice="screen"):
    consent.answer(
        db_session=db_session,
        consent_id=consent_request.id,
        device_id=device_id,
        granted=True,
        choice=choice,
        now=now,
    )


def ask_control(db_session, scene, staff, view, now):
    service.view_for_control(db_session=db_session, consent_id=view.id, staff_id=staff.id, now=now)
    return consent.ask(
        db_session=db_session,
        kind="control",
        device=db_session.get(Device, scene["device"]),
        staff=db_session.get(StaffMember, staff.id),
        now=now,
        answer_within=ANSWER_WITHIN,
        lasts=None,
        parent_id=view.id,
    )


def test_only_the_conversations_own_agent_asks_in_an_open_chat(world, scene):
    now = utcnow()
    with world.session() as db_session:
        with pytest.raises(ConversationForbidden):  # a colleague's chat
            ask_view(db_session, scene, scene["bob"], now)
        view = ask_view(db_session, scene, scene["anna"], now)
        assert view.status == "pending" and view.requested_by_name == "Anna Berger"
        assert view.reason == "Ich möchte die WLAN-Einstellungen sehen."
        assert view.answer_by == now + ANSWER_WITHIN
        with pytest.raises(CannotAsk):  # her request is still open
            service.refuse_a_second_view(
                db_session=db_session,
                conversation_id=scene["chat"],
                staff_id=scene["anna"].id,
                now=now,
            )
        db_session.commit()
        from agent_portal.chat import service as chat_service

        conversation = chat_service.get_conversation(
            db_session=db_session, conversation_id=scene["chat"]
        )
        chat_service.close_conversation(
            db_session=db_session, conversation=conversation, by="agent", now=now
        )
        db_session.commit()
        with pytest.raises(CannotAsk) as closed:
            ask_view(db_session, scene, scene["anna"], now)
        assert "closed" in str(closed.value)
    assert world.count(ScreenView) == 1


def test_an_expert_asks_in_their_own_prechat_only(world, scene):
    customer = scene["customer"]
    device = world.rows(Device, Device.id == scene["device"])[0]
    prechat, expert = expert_prechat(world, customer, device)
    now = utcnow()
    with world.session() as db_session:
        with pytest.raises(ConversationForbidden):  # a hotline chat is not theirs
            ask_view(db_session, scene, expert, now)
        view = ask_view(db_session, scene, expert, now, conversation_id=prechat)
        db_session.commit()
        assert view.kind == "screen_view" and view.requested_by_id == expert.id


def test_no_answer_in_time_is_a_refusal(world, scene):
    now = utcnow()
    with world.session() as db_session:
        view = ask_view(db_session, scene, scene["anna"], now)
        db_session.commit()
        later = now + ANSWER_WITHIN + timedelta(seconds=1)
        with pytest.raises(ViewNotActive):  # even before the expiry round wrote it
            service.require_viewer(
                db_session=db_session, consent_id=view.id, staff_id=scene["anna"].id, now=later
            )
        closed = consent.expire_overdue(db_session=db_session, now=later)
        db_session.commit()
        assert [(c.consent_id, c.status) for c in closed] == [(view.id, "timed_out")]
        with pytest.raises(ConsentNotActive):  # a late grant is no grant
            service.own_view(
                db_session=db_session, consent_id=view.id, device_id=scene["device"], now=later
            )
    steps = world.rows(ConsentEvent, ConsentEvent.consent_id == view.id, order=ConsentEvent.id)
    assert [(s.event, s.actor_kind) for s in steps] == [("asked", "staff"), ("timed_out", "system")]


def test_only_the_asker_views_and_only_while_granted(world, scene):
    now = utcnow()
    anna, bob = scene["anna"], scene["bob"]
    with world.session() as db_session:
        view = ask_view(db_session, scene, anna, now)
        with pytest.raises(ViewNotActive):  # asked, not yet allowed
            service.require_viewer(
                db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now
            )
        grant(db_session, view, scene["device"], now)
        service.require_viewer(db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now)
        with pytest.raises(NotTheViewer):
            service.require_viewer(
                db_session=db_session, consent_id=view.id, staff_id=bob.id, now=now
            )
        with pytest.raises(NotTheViewer):  # one that does not exist: the same answer
            service.require_viewer(
                db_session=db_session, consent_id="0" * 32, staff_id=anna.id, now=now
            )
        # The device speaks of its own view only; another customer's is as if none.
        service.own_view(
            db_session=db_session, consent_id=view.id, device_id=scene["device"], now=now
        )
        with pytest.raises(ConsentNotFound):
            service.own_view(
                db_session=db_session,
                consent_id=view.id,
                device_id=scene["other_device"],
                now=now,
            )
        consent.revoke(
            db_session=db_session, consent_id=view.id, device_id=scene["device"], now=now
        )
        with pytest.raises(ViewNotActive):
            service.require_viewer(
                db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now
            )
        db_session.commit()


def test_control_only_on_a_granted_view_and_input_only_under_granted_control(world, scene):
    now = utcnow()
    anna, bob = scene["anna"], scene["bob"]
    with world.session() as db_session:
        view = ask_view(db_session, scene, anna, now)
        with pytest.raises(NoActiveView) as no_view:  # the view waits for the answer
            ask_control(db_session, scene, anna, view, now)
        assert no_view.value.code == "no_active_view"
        with pytest.raises(ConsentRefused):  # the consent domain refuses it too
            consent.ask(
                db_session=db_session,
                kind="control",
                device=db_session.get(Device, scene["device"]),
                staff=db_session.get(StaffMember, anna.id),
                now=now,
                answer_within=ANSWER_WITHIN,
                lasts=None,
                parent_id=view.id,
            )
        grant(db_session, view, scene["device"], now)
        with pytest.raises(NotTheViewer):  # a colleague cannot ask for control of it
            ask_control(db_session, scene, bob, view, now)
        control = ask_control(db_session, scene, anna, view, now)
        with pytest.raises(CannotAsk):  # asked already
            ask_control(db_session, scene, anna, view, now)
        with pytest.raises(ControlNotGranted):  # asked, not yet allowed
            service.require_controller(
                db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now
            )
        grant(db_session, control, scene["device"], now, choice=None)
        assert (
            service.require_controller(
                db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now
            ).id
            == control.id
        )
        with pytest.raises(NotTheViewer):
            service.require_controller(
                db_session=db_session, consent_id=view.id, staff_id=bob.id, now=now
            )
        # The customer stops the view: control ends with it, and input stops.
        closed = consent.revoke(
            db_session=db_session, consent_id=view.id, device_id=scene["device"], now=now
        )
        assert {(c.kind, c.status, c.reason) for c in closed} == {
            ("screen_view", "revoked", None),
            ("control", "ended", "parent_closed"),
        }
        with pytest.raises(ControlNotGranted):
            service.require_controller(
                db_session=db_session, consent_id=view.id, staff_id=anna.id, now=now
            )
        db_session.commit()


def test_a_stream_is_kept_only_while_the_view_is_granted(world, scene):
    now = utcnow()
    with world.session() as db_session:
        view = ask_view(db_session, scene, scene["anna"], now)
        service.set_sender(db_session=db_session, consent_id=view.id, sender="c" * 32)
        assert not service.set_stream(
            db_session=db_session, consent_id=view.id, stream_id=7, receivers=["t"], now=now
        )
        grant(db_session, view, scene["device"], now)
        assert service.set_stream(
            db_session=db_session, consent_id=view.id, stream_id=7, receivers=["t"], now=now
        )
        assert service.granted_views_sent_by(db_session=db_session, connection_id="c" * 32) == [
            view.id
        ]
        assert service.take_stream(db_session=db_session, consent_id=view.id) == (
            7,
            "c" * 32,
            ["t"],
        )
        assert service.take_stream(db_session=db_session, consent_id=view.id) is None
        db_session.commit()


def test_a_view_asked_outside_a_conversation_gets_no_sender_and_no_error(world, scene):
    """The consent record allows a screen view without a conversation (none is asked so,
    but a record may be): granting it keeps no sender, so no picture goes anywhere, and
    the device's answer is not lost to an error."""
    now = utcnow()
    with world.session() as db_session:
        view = consent.ask(
            db_session=db_session,
            kind="screen_view",
            device=db_session.get(Device, scene["device"]),
            staff=db_session.get(StaffMember, scene["anna"].id),
            now=now,
            answer_within=ANSWER_WITHIN,
            lasts=None,
            reason="Router-Seite ansehen",
            parent_id=None,
        )
        grant(db_session, view, scene["device"], now)
        assert not service.set_sender(db_session=db_session, consent_id=view.id, sender="c" * 32)
        assert service.granted_views_sent_by(db_session=db_session, connection_id="c" * 32) == []
        db_session.commit()
