"""Approval and suspension on both databases: customers only ever see an approved version,
a change waits without hiding the approved one, a rejection reaches the expert with its
reason, a suspension hides the expert at once; every decision is in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_portal.audit.models import AuditEntry
from agent_portal.experts import service
from agent_portal.experts.errors import InvalidProfile, NoPendingChange
from agent_portal.experts.models import ExpertPhoto
from tests.agent_portal.experts.conftest import photo_bytes, submit


def events(db_session) -> list[str]:
    db_session.expire_all()
    return list(db_session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))


def approve(db_session, profile_id, admin):
    profile = service.approve_change(db_session=db_session, profile_id=profile_id, actor=admin)
    db_session.commit()
    return profile


def test_customers_see_the_approved_version_while_a_change_waits(db_session, expert, admin, tree):
    draft = submit(db_session, expert, tree, photo=photo_bytes())
    profile_id = draft.profile_id
    [waiting] = service.pending_profiles(db_session=db_session)
    assert {change.field for change in service.changes(waiting)} >= {
        "display_name",
        "slogan",
        "categories",
        "photo",
    }
    approve(db_session, profile_id, admin)
    shown = service.public_profile(db_session=db_session, expert_id=profile_id)
    assert shown.slogan == "Ich bringe Ihr WLAN in jedes Zimmer." and shown.draft is None
    assert shown.category_ids == [tree["Internet & router"], tree["Wi-Fi & home network"]]
    first_photo = service.public_photo(db_session=db_session, expert_id=profile_id)
    assert first_photo is not None

    submit(
        db_session,
        expert,
        tree,
        slogan="Neu: auch Drucker.",
        category_ids=[tree["Printers & scanners"]],
        photo=photo_bytes((300, 300)),
    )
    waiting = service.get_profile(db_session=db_session, expert_id=profile_id)
    assert [(c.field, c.after) for c in service.changes(waiting) if c.field == "slogan"] == [
        ("slogan", "Neu: auch Drucker.")
    ]
    shown = service.public_profile(db_session=db_session, expert_id=profile_id)
    assert shown.slogan == "Ich bringe Ihr WLAN in jedes Zimmer."
    assert service.public_photo(db_session=db_session, expert_id=profile_id).id == first_photo.id
    assert [p.id for p in service.visible_profiles(db_session=db_session)] == [profile_id]

    approve(db_session, profile_id, admin)
    shown = service.public_profile(db_session=db_session, expert_id=profile_id)
    assert shown.slogan == "Neu: auch Drucker."
    assert shown.category_ids == [tree["Printers & scanners"]]
    # The photo no version shows any more is gone.
    assert db_session.get(ExpertPhoto, first_photo.id) is None
    assert service.visible_profiles(db_session=db_session, category_id=tree["Windows"]) == []
    assert events(db_session) == [
        "expert_profile_submitted",
        "expert_profile_approved",
        "expert_profile_submitted",
        "expert_profile_approved",
    ]


def test_a_rejection_needs_a_reason_and_the_expert_reads_it(db_session, expert, admin, tree):
    profile_id = submit(db_session, expert, tree).profile_id
    with pytest.raises(InvalidProfile) as refused:
        service.reject_change(db_session=db_session, profile_id=profile_id, reason=" ", actor=admin)
    assert "Give a reason" in str(refused.value.problems["reason"])
    service.reject_change(
        db_session=db_session, profile_id=profile_id, reason="Bitte ein Foto.", actor=admin
    )
    db_session.commit()
    profile = service.profile_of_staff(db_session=db_session, staff_id=expert.id)
    assert (
        profile.draft.status == "rejected" and profile.draft.rejection_reason == "Bitte ein Foto."
    )
    assert not profile.is_visible and service.pending_profiles(db_session=db_session) == []
    with pytest.raises(NoPendingChange):
        service.approve_change(db_session=db_session, profile_id=profile_id, actor=admin)
    # Saving again sends it for approval anew, the reason gone.
    submit(db_session, expert, tree, photo=photo_bytes())
    profile = service.profile_of_staff(db_session=db_session, staff_id=expert.id)
    assert profile.draft.is_pending and profile.draft.rejection_reason == ""
    assert events(db_session)[-2:] == ["expert_profile_rejected", "expert_profile_submitted"]


def test_a_suspension_hides_the_expert_at_once_and_reinstating_shows_them_again(
    db_session, expert, admin, tree
):
    profile_id = submit(db_session, expert, tree, photo=photo_bytes()).profile_id
    approve(db_session, profile_id, admin)
    service.suspend_expert(
        db_session=db_session, profile_id=profile_id, reason="Beschwerden prüfen", actor=admin
    )
    db_session.commit()
    assert service.visible_profiles(db_session=db_session) == []
    assert service.public_profile(db_session=db_session, expert_id=profile_id) is None
    assert service.public_photo(db_session=db_session, expert_id=profile_id) is None
    # An approval while suspended does not make the expert visible.
    submit(db_session, expert, tree, slogan="Anders")
    approve(db_session, profile_id, admin)
    assert service.visible_profiles(db_session=db_session) == []

    service.reinstate_expert(db_session=db_session, profile_id=profile_id, actor=admin)
    db_session.commit()
    assert [p.slogan for p in service.visible_profiles(db_session=db_session)] == ["Anders"]
    assert events(db_session)[-4:] == [
        "expert_suspended",
        "expert_profile_submitted",
        "expert_profile_approved",
        "expert_reinstated",
    ]
