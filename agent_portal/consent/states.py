"""A consent's status: one state machine for every kind, every transition named here and
nowhere else. Every change of `ConsentRequest.status` goes through `move`; a transition the
status does not allow raises `IllegalTransition` and changes nothing.

    status     meaning                                          counts as
    pending    asked; the customer has not answered             nothing allowed yet
    granted    the customer said yes                            active (until its time)
    refused    the customer said no                             a refusal
    timed_out  nobody answered in time                          a refusal, never a grant
    revoked    the customer stopped it                          over
    ended      over for another reason (`EndReason`)            over

    event      from                to         who               records
    (ask)      -                   pending    the asker         asked
    grant      pending             granted    the customer      granted (and the choice)
    refuse     pending             refused    the customer      refused (and why, when
                                                                  the assistant cannot
                                                                  serve it: unsupported)
    time_out   pending             timed_out  the server        timed_out
    revoke     granted             revoked    the customer      revoked
    end        pending, granted    ended      asker or server   ended (and why)

Only `grant` leads to granted, and only the customer's device makes it. A kind may require
another consent (`REQUIRES`): control is asked and granted only while its screen view is
granted, and when that view is revoked or ends, its control ends with it (reason
`parent_closed`). A grant counts as active only until its `expires_at`; `effective_status`
says what a consent is at a given moment even before the expiry round has written it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from agent_portal.consent.errors import IllegalTransition
from isp_common.consent_wire import ConsentKind, ConsentStatus, EndReason

KINDS = tuple(kind.value for kind in ConsentKind)
STATUSES = tuple(status.value for status in ConsentStatus)
INITIAL = ConsentStatus.pending.value
OPEN = frozenset({"pending", "granted"})
REFUSALS = frozenset({"refused", "timed_out"})
# What a kind requires to be active while it is asked, answered and used.
REQUIRES: dict[str, str] = {ConsentKind.control: ConsentKind.screen_view}
# Who may ask for each kind, by staff role. A report is the hotline's (agents, admins); an
# expert in a paid session may also look at the screen, take control and call.
ASKERS: dict[str, frozenset[str]] = {
    ConsentKind.report: frozenset({"agent", "admin"}),
    ConsentKind.screen_view: frozenset({"agent", "expert", "admin"}),
    ConsentKind.control: frozenset({"agent", "expert", "admin"}),
    ConsentKind.call: frozenset({"agent", "expert", "admin"}),
}
# What the record says, beside the transitions' own words.
RECORD_EVENTS = ("asked", "granted", "refused", "timed_out", "revoked", "ended")
ACTOR_KINDS = ("staff", "device", "system")


class Event(StrEnum):
    grant = "grant"
    refuse = "refuse"
    time_out = "time_out"
    revoke = "revoke"
    end = "end"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    records: str  # the record's event


TRANSITIONS: dict[Event, Transition] = {
    Event.grant: Transition(frozenset({"pending"}), "granted", "granted"),
    Event.refuse: Transition(frozenset({"pending"}), "refused", "refused"),
    Event.time_out: Transition(frozenset({"pending"}), "timed_out", "timed_out"),
    Event.revoke: Transition(frozenset({"granted"}), "revoked", "revoked"),
    Event.end: Transition(OPEN, "ended", "ended"),
}


def allowed(status: str, event: Event) -> bool:
    return status in TRANSITIONS[event].sources


def effective_status(consent, now: datetime) -> str:
    """The status at `now`: a request past its answer time has timed out, a grant past its
    end has ended, whether or not the expiry round has written it yet."""
    if consent.status == "pending" and now >= consent.answer_by:
        return "timed_out"
    if consent.status == "granted" and consent.expires_at is not None and now >= consent.expires_at:
        return "ended"
    return consent.status


def move(consent, event: Event, *, now: datetime, reason: EndReason | None = None) -> str:
    """Moves the consent by `event` and returns the record's event. `reason` is given
    exactly for `end`."""
    transition = TRANSITIONS[event]
    if consent.status not in transition.sources:
        raise IllegalTransition(event.value, consent.status)
    if (event is Event.end) != (reason is not None):
        raise ValueError(f"{event.value}: a reason is given exactly when a consent ends")
    consent.status = transition.target
    if event in (Event.grant, Event.refuse):
        consent.answered_at = now
    if event is Event.grant and consent.lasts_seconds is not None:
        consent.expires_at = now + timedelta(seconds=consent.lasts_seconds)
    if transition.target not in OPEN:
        consent.closed_at = now
    consent.end_reason = reason.value if reason is not None else None
    return transition.records
