"""Rating paid sessions both ways, on both databases: one rating per side, only an ended
session that was paid for, revealed to both together (both rated, or the deadline), and a
revealed customer rating counted in the expert's ranking with the session's minutes and
money. Bad input is refused with its code and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from agent_portal.expert_search.models import ExpertRating, ExpertSearchEntry
from agent_portal.expert_search.ranking import Rating, rank
from agent_portal.session_ratings import errors, service
from agent_portal.session_ratings.models import SessionRating
from tests.agent_portal.session_ratings.support import ENDED, RULES, paid_session, scene

SOON = ENDED + timedelta(hours=2)


def rate(db_session, session, side, stars=5, text="Sehr hilfreich", now=SOON):
    person = session.customer_id if side == service.CUSTOMER else session.expert_staff_id
    rating = service.rate(
        db_session,
        session_id=session.id,
        side=side,
        person_id=person,
        stars=stars,
        text=text,
        now=now,
        rules=RULES,
    )
    db_session.commit()
    return rating


def seen_by(db_session, session, side, now=SOON):
    return service.view(db_session, session, side=side, now=now, rules=RULES)


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_both_ratings_are_revealed_together_and_the_customers_counts_in_the_ranking(db_session):
    world = scene(db_session)
    session = paid_session(
        db_session, world.customer, world.expert, category=world.wifi, amount=4500, waived=500
    )
    before = db_session.get(ExpertSearchEntry, world.expert.id).score

    rate(db_session, session, service.CUSTOMER, stars=5, text="Das WLAN läuft wieder.")
    expert_sees = seen_by(db_session, session, service.EXPERT)
    assert expert_sees.other is None and not expert_sees.revealed and expert_sees.open
    assert seen_by(db_session, session, service.CUSTOMER).mine.stars == 5
    assert count(db_session, ExpertRating) == 0, "nothing counts before it is revealed"

    rate(db_session, session, service.EXPERT, stars=4, text="Freundlich und geduldig.")
    customer_sees = seen_by(db_session, session, service.CUSTOMER)
    expert_sees = seen_by(db_session, session, service.EXPERT)
    assert customer_sees.revealed and customer_sees.other.text == "Freundlich und geduldig."
    assert expert_sees.other.stars == 5 and expert_sees.other.text == "Das WLAN läuft wieder."

    [row] = db_session.scalars(select(ExpertRating)).all()
    assert (row.profile_id, row.category_id, row.score) == (world.expert.id, world.wifi.id, 5)
    assert (row.seconds, row.cents) == (1800, 4000), "billed seconds and the charge"
    entry = db_session.get(ExpertSearchEntry, world.expert.id)
    assert entry.rating_count == 1
    assert entry.score == pytest.approx(rank([Rating(5, 30, 4000)]).score)
    assert entry.score > before


@pytest.mark.parametrize(
    ("changes", "side", "refusal"),
    [
        ({"stars": 0}, "customer", errors.StarsOutOfRange),
        ({"stars": 6}, "expert", errors.StarsOutOfRange),
        ({"text": "x" * 2001}, "customer", errors.TextTooLong),
        ({"unpaid": True}, "customer", errors.NotRateable),
        ({"running": True}, "expert", errors.NotRateable),
        ({"someone_else": True}, "customer", errors.SessionNotFound),
        ({"someone_else": True}, "expert", errors.SessionNotFound),
        ({"late": True}, "customer", errors.RatingClosed),
    ],
    ids=[
        "no stars",
        "six stars",
        "text too long",
        "waived in full",
        "still running",
        "another customer's",
        "another expert's",
        "after the deadline",
    ],
)
def test_bad_ratings_are_refused_and_store_nothing(db_session, changes, side, refusal):
    world = scene(db_session)
    session = paid_session(
        db_session,
        world.customer,
        world.expert,
        waived=4500 if changes.get("unpaid") else 0,
        status="running" if changes.get("running") else "ended",
    )
    person = session.customer_id if side == service.CUSTOMER else session.expert_staff_id
    if changes.get("someone_else"):
        person = world.other_customer.id if side == service.CUSTOMER else person + 1000
    now = ENDED + RULES.reveal_after if changes.get("late") else SOON
    with pytest.raises(refusal) as refused:
        service.rate(
            db_session,
            session_id=session.id,
            side=side,
            person_id=person,
            stars=changes.get("stars", 4),
            text=changes.get("text", "Gut"),
            now=now,
            rules=RULES,
        )
    db_session.rollback()
    assert refused.value.in_language("de") != refused.value.message, "worded in German too"
    assert count(db_session, SessionRating) == 0
    assert count(db_session, ExpertRating) == 0


def test_each_side_rates_once(db_session):
    world = scene(db_session)
    session = paid_session(db_session, world.customer, world.expert)
    rate(db_session, session, service.CUSTOMER, stars=2, text="Zu langsam")
    with pytest.raises(errors.AlreadyRated):
        rate(db_session, session, service.CUSTOMER, stars=5, text="Doch gut")
    db_session.rollback()
    [only] = db_session.scalars(select(SessionRating)).all()
    assert (only.stars, only.text) == (2, "Zu langsam")


def test_after_the_deadline_one_sided_ratings_are_revealed_and_counted(db_session):
    world = scene(db_session)
    session = paid_session(db_session, world.customer, world.expert, category=world.printers)
    rate(db_session, session, service.CUSTOMER, stars=3, text="Ging so")
    deadline = ENDED + RULES.reveal_after

    just_before = deadline - timedelta(seconds=1)
    assert service.reveal_due(db_session=db_session, now=just_before, rules=RULES) == 0
    assert seen_by(db_session, session, service.EXPERT, now=just_before).other is None

    assert service.reveal_due(db_session=db_session, now=deadline, rules=RULES) == 1
    db_session.commit()
    expert_sees = seen_by(db_session, session, service.EXPERT, now=deadline)
    assert expert_sees.revealed and expert_sees.other.stars == 3 and not expert_sees.open
    [row] = db_session.scalars(select(ExpertRating)).all()
    assert (row.category_id, row.created_at) == (world.printers.id, deadline)
    assert service.reveal_due(db_session=db_session, now=deadline, rules=RULES) == 0


def test_the_customer_is_offered_only_paid_sessions_still_open_to_rate(db_session):
    world = scene(db_session)
    open_one = paid_session(db_session, world.customer, world.expert, category=world.wifi)
    newer = paid_session(
        db_session, world.customer, world.expert, ended_at=ENDED + timedelta(hours=1)
    )
    paid_session(db_session, world.customer, world.expert, waived=4500)  # free in the end
    paid_session(db_session, world.customer, world.expert, status="running")
    paid_session(db_session, world.customer, world.expert, ended_at=ENDED - timedelta(days=20))
    paid_session(db_session, world.other_customer, world.expert)

    def offered(now=SOON):
        return [
            found.id
            for found in service.rateable_for_customer(
                db_session=db_session, customer_id=world.customer.id, now=now, rules=RULES
            )
        ]

    assert offered() == [newer.id, open_one.id]
    rate(db_session, newer, service.CUSTOMER)
    assert offered() == [open_one.id]
    rate(db_session, open_one, service.EXPERT)  # the expert's rating does not close it
    assert offered() == [open_one.id]
    assert offered(now=ENDED + RULES.reveal_after) == []


def test_ratings_given_at_the_same_moment_are_revealed_by_the_job(db_session):
    """Two ratings stored in parallel each saw no other: the job reveals them at once."""
    world = scene(db_session)
    session = paid_session(db_session, world.customer, world.expert, category=world.wifi)
    for side, stars in ((service.CUSTOMER, 5), (service.EXPERT, 3)):
        db_session.add(
            SessionRating(
                paid_session_id=session.id,
                side=side,
                stars=stars,
                text="",
                category_id=world.wifi.id,
                created_at=SOON,
            )
        )
    db_session.commit()
    later = SOON + timedelta(minutes=1)
    assert service.reveal_due(db_session=db_session, now=later, rules=RULES) == 2
    db_session.commit()
    [row] = db_session.scalars(select(ExpertRating)).all()
    assert (row.score, row.created_at) == (5, later)
    assert db_session.get(ExpertSearchEntry, world.expert.id).rating_count == 1
