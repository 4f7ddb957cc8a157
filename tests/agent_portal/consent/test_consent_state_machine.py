"""Random sequences of what agents, the customer's device, another device and the expiry
round do to consents of every kind, run against the consent service on both databases and
against a plain reference model written here. After every step each consent's status and
record match the model, and:

- nothing passes `require_active` (nothing is shared) without a live grant, and a control
  only while its screen view is live too;
- a consent that was refused, timed out, revoked or ended never changes again, above all
  never becomes granted;
- the record holds exactly one step per transition, a grant only from the customer's device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import service
from agent_portal.consent.errors import ConsentError
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.customers.models import Device
from isp_common.consent_wire import EndReason
from tests.support.hypothesis_budget import examples, steps

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWER_WITHIN = timedelta(seconds=60)
# Short, so that grants run out within a few steps.
LASTS = {"report": 40, "screen_view": 50, "control": 30, "call": None}
OVER = {"refused", "timed_out", "revoked", "ended"}


@dataclass
class Expected:
    kind: str
    parent: str | None
    asked_at: datetime
    status: str = "pending"
    expires_at: datetime | None = None
    steps: list[str] = field(default_factory=lambda: ["asked"])

    @property
    def answer_by(self) -> datetime:
        return self.asked_at + ANSWER_WITHIN


class Reference:
    """The rules in plain words."""

    def __init__(self) -> None:
        self.consents: dict[str, Expected] = {}

    def live(self, consent_id: str, now: datetime) -> bool:
        item = self.consents[consent_id]
        if item.status != "granted" or (item.expires_at is not None and now >= item.expires_at):
            return False
        return item.parent is None or self.live(item.parent, now)

    def open_now(self, consent_id: str, now: datetime) -> bool:
        item = self.consents[consent_id]
        return item.status == "pending" and now < item.answer_by

    def close(self, consent_id: str, status: str, step: str) -> None:
        item = self.consents[consent_id]
        item.status = status
        item.steps.append(step)
        for child_id, child in self.consents.items():
            if child.parent == consent_id and child.status in ("pending", "granted"):
                self.close(child_id, "ended", "ended (parent_closed)")

    def expiry_round(self, now: datetime) -> None:
        for item in self.consents.values():
            if item.status == "pending" and item.answer_by <= now:
                item.status = "timed_out"
                item.steps.append("timed_out")
        # What others require first: a control that runs out with its view ends with it.
        ordered = sorted(self.consents.items(), key=lambda pair: pair[1].parent is not None)
        for consent_id, item in ordered:
            if item.status == "granted" and item.expires_at is not None and item.expires_at <= now:
                self.close(consent_id, "ended", "ended (expired)")


class ConsentRules(RuleBasedStateMachine):
    world = None  # set on the class by the test, for each database
    device_id: str
    stranger_id: str
    staff_id: int

    consents = Bundle("consents")

    def __init__(self) -> None:
        super().__init__()
        with self.world.session() as db_session:
            db_session.execute(delete(ConsentEvent))
            db_session.execute(delete(ConsentRequest))
            db_session.commit()
        self.now = START
        self.model = Reference()
        self.over_seen: dict[str, str] = {}  # what the database said once a consent was over

    def attempt(self, expected_ok: bool, action) -> None:
        """Runs the service call in one transaction, as the flows do; a refusal changes
        nothing."""
        with self.world.session() as db_session:
            try:
                action(db_session)
            except ConsentError:
                db_session.rollback()
                assert not expected_ok, "refused, though the rules allow it"
            else:
                db_session.commit()
                assert expected_ok, "done, though the rules refuse it"

    @rule(
        target=consents,
        kind=st.sampled_from(["report", "screen_view", "control", "call"]),
        parent_pick=st.integers(min_value=0, max_value=5),
    )
    def agent_asks(self, kind: str, parent_pick: int):
        views = [cid for cid, item in self.model.consents.items() if item.kind == "screen_view"]
        parent = views[parent_pick % len(views)] if kind == "control" and views else None
        expected_ok = kind != "control" or (
            parent is not None and self.model.live(parent, self.now)
        )
        made: list[str] = []

        def ask(db_session):
            consent = service.ask(
                db_session=db_session,
                kind=kind,
                device=db_session.get(Device, self.device_id),
                staff=db_session.get(StaffMember, self.staff_id),
                now=self.now,
                answer_within=ANSWER_WITHIN,
                lasts=None if LASTS[kind] is None else timedelta(seconds=LASTS[kind]),
                parent_id=parent,
            )
            made.append(consent.id)

        self.attempt(expected_ok, ask)
        if made:
            self.model.consents[made[0]] = Expected(kind, parent, self.now)
            return made[0]
        return "never-made"  # an id nothing may answer, revoke or pass

    @rule(granted=st.booleans())
    def customer_answers_the_latest(self, granted: bool) -> None:
        """What a customer mostly does: answers what was just asked (maybe twice)."""
        if self.model.consents:
            self.customer_answers(list(self.model.consents)[-1], granted=granted)

    @rule(consent_id=consents, granted=st.booleans())
    def customer_answers(self, consent_id: str, granted: bool) -> None:
        item = self.model.consents.get(consent_id)
        choice = "window" if item is not None and item.kind == "screen_view" and granted else None
        expected_ok = item is not None and self.model.open_now(consent_id, self.now)
        if expected_ok and granted and item.parent is not None:
            expected_ok = self.model.live(item.parent, self.now)
        self.attempt(
            expected_ok,
            lambda db_session: service.answer(
                db_session=db_session,
                consent_id=consent_id,
                device_id=self.device_id,
                granted=granted,
                now=self.now,
                choice=choice,
            ),
        )
        if not expected_ok:
            return
        if granted:
            item.status = "granted"
            lasts = LASTS[item.kind]
            item.expires_at = None if lasts is None else self.now + timedelta(seconds=lasts)
            item.steps.append("granted")
        else:
            self.model.close(consent_id, "refused", "refused")

    @rule(consent_id=consents, granted=st.booleans())
    def another_device_answers(self, consent_id: str, granted: bool) -> None:
        self.attempt(
            False,
            lambda db_session: service.answer(
                db_session=db_session,
                consent_id=consent_id,
                device_id=self.stranger_id,
                granted=granted,
                now=self.now,
                choice="screen" if granted else None,
            ),
        )

    @rule(consent_id=consents)
    def customer_revokes(self, consent_id: str) -> None:
        item = self.model.consents.get(consent_id)
        expected_ok = (
            item is not None
            and item.status == "granted"
            and (item.expires_at is None or self.now < item.expires_at)
        )
        self.attempt(
            expected_ok,
            lambda db_session: service.revoke(
                db_session=db_session,
                consent_id=consent_id,
                device_id=self.device_id,
                now=self.now,
            ),
        )
        if expected_ok:
            self.model.close(consent_id, "revoked", "revoked")

    @rule(consent_id=consents, reason=st.sampled_from([EndReason.completed, EndReason.withdrawn]))
    def asker_ends(self, consent_id: str, reason: EndReason) -> None:
        item = self.model.consents.get(consent_id)
        expected_ok = item is not None and item.status in ("pending", "granted")
        self.attempt(
            expected_ok,
            lambda db_session: service.end(
                db_session=db_session,
                consent_id=consent_id,
                reason=reason,
                actor=Actor.system(),
                now=self.now,
            ),
        )
        if expected_ok:
            self.model.close(consent_id, "ended", f"ended ({reason.value})")

    @rule(seconds=st.sampled_from([5, 20, 45, 61]))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule()
    def expiry_round(self) -> None:
        self.attempt(
            True, lambda db_session: service.expire_overdue(db_session=db_session, now=self.now)
        )
        self.model.expiry_round(self.now)

    def stored(self) -> tuple[dict[str, ConsentRequest], dict[str, list[ConsentEvent]]]:
        with self.world.session() as db_session:
            requests = {row.id: row for row in db_session.query(ConsentRequest)}
            steps = service.events_of(db_session=db_session, consent_ids=list(requests))
            db_session.expunge_all()
        return requests, steps

    @invariant()
    def the_database_says_what_the_rules_say(self) -> None:
        requests, steps = self.stored()
        assert set(requests) == set(self.model.consents)
        for consent_id, item in self.model.consents.items():
            row = requests[consent_id]
            assert row.status == item.status, (consent_id, item)
            written = [
                f"{s.event} ({s.detail})" if s.event == "ended" else s.event
                for s in steps[consent_id]
            ]
            assert written == item.steps
            granting = [s for s in steps[consent_id] if s.event == "granted"]
            assert all(s.actor_kind == "device" for s in granting)

    @invariant()
    def nothing_passes_without_a_live_grant(self) -> None:
        for consent_id, item in self.model.consents.items():
            with self.world.session() as db_session:
                try:
                    service.require_active(
                        db_session=db_session,
                        kind=item.kind,
                        consent_id=consent_id,
                        device_id=self.device_id,
                        now=self.now,
                    )
                    passed = True
                except ConsentError:
                    passed = False
            assert passed == self.model.live(consent_id, self.now), (consent_id, item)

    @invariant()
    def what_is_over_stays_over(self) -> None:
        requests, _steps = self.stored()
        for consent_id, row in requests.items():
            if consent_id in self.over_seen:
                assert row.status == self.over_seen[consent_id], "an ended consent changed"
            elif row.status in OVER:
                self.over_seen[consent_id] = row.status


@pytest.fixture
def parties(world) -> tuple[str, str, int]:
    customer = world.customer()
    device, _key = world.device(customer)
    stranger, _key = world.device(world.customer("K-999999"), name="Fremder-PC")
    staff = world.staff("anna.berger", name="Anna Berger")
    return device.id, stranger.id, staff.id


def test_every_sequence_keeps_consents_to_the_rules(world, parties):
    device_id, stranger_id, staff_id = parties
    machine = type(
        "Rules",
        (ConsentRules,),
        {"world": world, "device_id": device_id, "stranger_id": stranger_id, "staff_id": staff_id},
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples(30),
            stateful_step_count=steps(30),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
