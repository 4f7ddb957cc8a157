"""The server's checks on a consent are the same for every kind: who may ask for it, that
the customer answers only their own pending request, that an expired or answered request
takes no answer, that a decline may say why (an assistant that cannot serve the kind) and
a grant may not, and that the customer may revoke a grant at any time. Each example runs
for every kind, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.consent import service
from agent_portal.consent.errors import ConsentNotFound, ConsentNotOpen, ConsentRefused
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from isp_common.consent_wire import ConsentKind, DeclineReason

KINDS = [kind.value for kind in ConsentKind]
ANSWER_WITHIN = timedelta(minutes=2)


@pytest.fixture
def parties(world):
    customer = world.customer()
    device, _key = world.device(customer)
    stranger, _key = world.device(world.customer("K-999999"), name="Fremder-PC")
    anna = world.staff("anna.berger", name="Anna Berger")
    return device.id, stranger.id, anna.id


def ask(db_session, kind: str, device_id: str, staff_id: int, now) -> ConsentRequest:
    """A request of the kind; control with the granted screen view it requires."""
    device = db_session.get(Device, device_id)
    staff = db_session.get(StaffMember, staff_id)
    parent_id = None
    if kind == ConsentKind.control:
        view = service.ask(
            db_session=db_session,
            kind="screen_view",
            device=device,
            staff=staff,
            now=now,
            answer_within=ANSWER_WITHIN,
            lasts=None,
        )
        service.answer(
            db_session=db_session,
            consent_id=view.id,
            device_id=device_id,
            granted=True,
            choice="screen",
            now=now,
        )
        parent_id = view.id
    return service.ask(
        db_session=db_session,
        kind=kind,
        device=device,
        staff=staff,
        now=now,
        answer_within=ANSWER_WITHIN,
        lasts=None,
        parent_id=parent_id,
    )


def grant(db_session, consent: ConsentRequest, device_id: str, now) -> None:
    service.answer(
        db_session=db_session,
        consent_id=consent.id,
        device_id=device_id,
        granted=True,
        choice="screen" if consent.kind == ConsentKind.screen_view else None,
        now=now,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_customer_answers_their_own_pending_request_once(world, parties, kind):
    device_id, stranger_id, staff_id = parties
    now = utcnow()
    with world.session() as db_session:
        consent = ask(db_session, kind, device_id, staff_id, now)
        with pytest.raises(ConsentNotFound):  # another customer's device: as if none
            service.answer(
                db_session=db_session,
                consent_id=consent.id,
                device_id=stranger_id,
                granted=True,
                now=now,
            )
        with pytest.raises(ConsentRefused):  # only a refusal says why
            service.answer(
                db_session=db_session,
                consent_id=consent.id,
                device_id=device_id,
                granted=True,
                reason=DeclineReason.unsupported,
                now=now,
            )
        assert consent.status == "pending"
        grant(db_session, consent, device_id, now)
        with pytest.raises(ConsentNotOpen) as again:
            service.answer(
                db_session=db_session,
                consent_id=consent.id,
                device_id=device_id,
                granted=False,
                now=now,
            )
        assert again.value.code == "consent_granted"
        db_session.commit()
        assert consent.status == "granted"


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_after_the_time_is_too_late(world, parties, kind):
    device_id, _stranger_id, staff_id = parties
    now = utcnow()
    with world.session() as db_session:
        consent = ask(db_session, kind, device_id, staff_id, now)
        with pytest.raises(ConsentNotOpen) as late:
            grant(db_session, consent, device_id, now + ANSWER_WITHIN)
        assert late.value.code == "consent_timed_out"
        assert consent.status == "pending"  # the expiry round writes the time-out
        closed = service.expire_overdue(db_session=db_session, now=now + ANSWER_WITHIN)
        db_session.commit()
    assert consent.id in {item.consent_id for item in closed}
    assert world.rows(ConsentRequest, ConsentRequest.id == consent.id)[0].status == "timed_out"


@pytest.mark.parametrize("kind", KINDS)
def test_a_decline_keeps_why_the_assistant_declined(world, parties, kind):
    device_id, _stranger_id, staff_id = parties
    now = utcnow()
    with world.session() as db_session:
        consent = ask(db_session, kind, device_id, staff_id, now)
        service.answer(
            db_session=db_session,
            consent_id=consent.id,
            device_id=device_id,
            granted=False,
            reason=DeclineReason.unsupported,
            now=now,
        )
        db_session.commit()
        consent_id = consent.id
    rows = world.rows(ConsentEvent, ConsentEvent.consent_id == consent_id, order=ConsentEvent.id)
    assert [(row.event, row.detail) for row in rows] == [
        ("asked", None),
        ("refused", "unsupported"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_the_customer_revokes_a_grant_at_any_time_and_only_their_own(world, parties, kind):
    device_id, stranger_id, staff_id = parties
    now = utcnow()
    with world.session() as db_session:
        consent = ask(db_session, kind, device_id, staff_id, now)
        with pytest.raises(ConsentNotOpen):  # a pending request is declined, not revoked
            service.revoke(
                db_session=db_session, consent_id=consent.id, device_id=device_id, now=now
            )
        grant(db_session, consent, device_id, now)
        with pytest.raises(ConsentNotFound):
            service.revoke(
                db_session=db_session, consent_id=consent.id, device_id=stranger_id, now=now
            )
        later = now + timedelta(hours=3)
        closed = service.revoke(
            db_session=db_session, consent_id=consent.id, device_id=device_id, now=later
        )
        db_session.commit()
        assert [item.status for item in closed] == ["revoked"]
        with pytest.raises(ConsentNotOpen):
            service.revoke(
                db_session=db_session, consent_id=consent.id, device_id=device_id, now=later
            )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["agent", "expert", "admin"])
def test_who_may_ask_for_which_kind(world, parties, kind, role):
    device_id, _stranger_id, _staff_id = parties
    member = world.staff(f"someone.{role}", role=role)
    may = role != "expert" or kind != ConsentKind.report  # a report is the hotline's
    with world.session() as db_session:
        if may:
            assert ask(db_session, kind, device_id, member.id, utcnow()).status == "pending"
            db_session.commit()
        else:
            with pytest.raises(ConsentRefused, match="may not ask"):
                ask(db_session, kind, device_id, member.id, utcnow())
    assert world.count(ConsentRequest, ConsentRequest.kind == kind) == (1 if may else 0)
