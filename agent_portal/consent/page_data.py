"""The consent record on the customer's page in the portal: every request of every kind
(a report, a screen view, remote control, a call) with who asked, from which device, how
it stands, and each step with its time and actor. The page redraws it when a consent
changes (`consent.updated`, in `static/live/diagnostics.js`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from agent_portal.auth.errors import N_
from agent_portal.consent import service, states
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.customers.models import Customer
from agent_portal.customers.pages import CustomerSection
from agent_portal.i18n import _

SHOWN = 8

KIND_LABELS = {
    "report": N_("Diagnostics report"),
    "screen_view": N_("Screen view"),
    "control": N_("Remote control"),
    "call": N_("Call"),
}
# How a consent stands; a kind may say it in its own words (`KIND_STATUS_LABELS`).
STATUS_LABELS = {
    "pending": N_("Waiting for the customer's answer"),
    "granted": N_("Allowed"),
    "refused": N_("The customer declined"),
    "timed_out": N_("No answer from the customer"),
    "revoked": N_("Stopped by the customer"),
    "ended.completed": N_("Ended"),
    "ended.expired": N_("Ended: its time ran out"),
    "ended.withdrawn": N_("Ended by the agent"),
    "ended.parent_closed": N_("Ended with the screen view"),
}
KIND_STATUS_LABELS = {
    "report": {
        "granted": N_("Allowed: the checks are running"),
        "ended.completed": N_("Report received"),
        "ended.expired": N_("Allowed, but no report arrived"),
    },
}
EVENT_LABELS = {
    "asked": N_("asked"),
    "granted": N_("allowed by the customer"),
    "refused": N_("declined by the customer"),
    # The assistant declined without asking: it cannot serve the kind (yet).
    "refused.unsupported": N_("declined automatically: the customer's assistant cannot do this"),
    "timed_out": N_("no answer in time"),
    "revoked": N_("stopped by the customer"),
    "ended.completed": N_("ended"),
    "ended.expired": N_("its time ran out"),
    "ended.withdrawn": N_("ended by the agent"),
    "ended.parent_closed": N_("ended with the screen view"),
}
KIND_EVENT_LABELS = {
    "report": {"ended.completed": N_("report received"), "ended.expired": N_("no report came")},
}
# Who ended a request they made, by the asker's role: an expert is no hotline agent.
ASKER_STATUS_LABELS = {"expert": {"ended.withdrawn": N_("Ended by the expert")}}
ASKER_EVENT_LABELS = {"expert": {"ended.withdrawn": N_("ended by the expert")}}
CHOICE_LABELS = {"screen": N_("the whole screen"), "window": N_("one window")}
ACTOR_KINDS = {"system": N_("automatically")}


def _key(status: str, reason: str | None) -> str:
    return f"{status}.{reason}" if status == "ended" else status


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


def status_label(
    consent: ConsentRequest, now: datetime | None = None, asker_role: str | None = None
) -> str:
    """How the consent stands, in the kind's words where it has its own; `asker_role` is
    the role of the staff member who asked (an expert's withdrawal is no agent's)."""
    status = consent.status if now is None else states.effective_status(consent, now)
    reason = consent.end_reason if consent.status == "ended" else "expired"
    key = _key(status, reason)
    label = (
        ASKER_STATUS_LABELS.get(asker_role or "", {}).get(key)
        or KIND_STATUS_LABELS.get(consent.kind, {}).get(key)
        or STATUS_LABELS.get(key, key)
    )
    return _(label)


def event_label(kind: str, event: ConsentEvent, asker_role: str | None = None) -> str:
    key = _key(event.event, event.detail)
    if event.event == "refused" and event.detail:
        key = f"refused.{event.detail}"
    label = (
        ASKER_EVENT_LABELS.get(asker_role or "", {}).get(key)
        or KIND_EVENT_LABELS.get(kind, {}).get(key)
        or EVENT_LABELS.get(key, key)
    )
    text = _(label)
    if event.event == "granted" and event.detail in CHOICE_LABELS:
        text = f"{text}: {_(CHOICE_LABELS[event.detail])}"
    return text


def actor_text(event: ConsentEvent) -> str:
    """Who acted, by name: the agent, the customer's device; the server by what it is."""
    return event.actor_name or _(ACTOR_KINDS.get(event.actor_kind, event.actor_kind))


def consent_section(
    *, db_session: Session, customer: Customer, now: datetime, **_context
) -> CustomerSection:
    record = service.record_for_customer(db_session=db_session, customer_id=customer.id)[:SHOWN]
    roles = service.requester_roles(db_session=db_session, consents=record)

    def asker_role(consent: ConsentRequest) -> str | None:
        return roles.get(consent.requested_by_id)

    return CustomerSection(
        template="consent/section.html",
        data={
            "record": record,
            "steps": service.events_of(
                db_session=db_session, consent_ids=[item.id for item in record]
            ),
            "kind_label": kind_label,
            "status_label": lambda consent: status_label(consent, now, asker_role(consent)),
            "status_key": lambda consent: states.effective_status(consent, now),
            "event_label": lambda consent, step: event_label(
                consent.kind, step, asker_role(consent)
            ),
            "actor_text": actor_text,
        },
    )
