"""Paid sessions on the live channel. The customer's assistant sends its commands on the
device socket (`isp_common.paid_sessions_wire`); the expert acts on the chat page's meter
panel (`paid_sessions.pages`); the job `paid-session-meters` ticks running meters.

After each step is committed, both sides hear it:

- the sender gets `session.ack` with its `command_id` (again, for a repeat);
- the customer's devices get `session.proposal` (a proposal, its billing rule worded in
  the customer's language), `session.meter` on every change and tick, and
  `session.summary` at the end and after a tip;
- the expert's tabs (`staff:<id>`) and the tabs showing the conversation
  (`conversation:<id>`) get the same `session.meter` and `session.summary` frames, which
  the meter panel shows.

Each command's rule names what it acts on (`DEVICE_KINDS`): a proposal a conversation of
the device's own customer, the other commands a session of that customer; anyone else's is
refused before the handler runs, like one that does not exist (`not_found`,
`session_not_found`). A refusal answers the sender with the channel's `error` frame whose
`request_id` is the `command_id`; nothing of a refused command is stored.

A side that (re)connects while a session of theirs is open (proposed, running, paused)
hears at once where it stands: the customer's device gets `session.proposal` (while
proposed) and `session.meter`, the expert's new tab `session.meter`, as of now. What
happened while it was away (a pause, the server's restart) it need not have heard.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.chat.channel_handlers import OWN_CONVERSATION
from agent_portal.customers.models import Customer, Device
from agent_portal.i18n import LOCALE_DIR
from agent_portal.paid_sessions import renewal, service
from agent_portal.paid_sessions.errors import SessionNotFound
from agent_portal.paid_sessions.models import PaidSession
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.hub import (
    LiveServices,
    conversation_channel,
    device_channel,
    staff_channel,
)
from agent_portal.unit_of_work import committed
from isp_common import paid_sessions_wire as wire
from isp_common.i18n import translations


@dataclass(frozen=True)
class Notice:
    """What a committed step tells whom: the frames for the customer's devices and for the
    expert's side, and where they go."""

    device_ids: list[str]
    expert_staff_id: int
    conversation_id: int
    to_customer: list[BaseModel | str]  # a frame, or its JSON text
    to_expert: list[BaseModel | str]


def _customer_language(db_session: Session, session: PaidSession) -> str:
    customer = db_session.get(Customer, session.customer_id)
    return customer.language if customer is not None else "de"


def notice_of(
    db_session: Session,
    session: PaidSession,
    *,
    now,
    config: service.Config,
    with_proposal: bool = False,
    with_summary: bool = False,
) -> Notice:
    """The frames both sides see of `session` as it is now."""
    frames: list[BaseModel] = []
    if with_proposal and session.status == "proposed":
        language = _customer_language(db_session, session)
        frames.append(
            service.proposal(
                db_session=db_session,
                session=session,
                config=config,
                gettext=translations(LOCALE_DIR, "portal", language).gettext,
                locale=language,
            )
        )
    frames.append(service.meter(session, now))
    if with_summary and session.status == "ended":
        frames.append(service.summary(db_session=db_session, session=session, config=config))
    devices = list(
        db_session.scalars(select(Device.id).where(Device.customer_id == session.customer_id))
    )
    return Notice(
        device_ids=devices,
        expert_staff_id=session.expert_staff_id,
        conversation_id=session.conversation_id,
        to_customer=frames,
        to_expert=frames,
    )


async def publish(live: LiveServices, notice: Notice) -> None:
    for device_id in notice.device_ids:
        for frame in notice.to_customer:
            await live.publish(device_channel(device_id), frame)
    for frame in notice.to_expert:
        await live.publish(staff_channel(notice.expert_staff_id), frame)
        await live.publish(conversation_channel(notice.conversation_id), frame)


def _step(*, db_session: Session, command: str, now, config, **kwargs):
    done: service.Done = getattr(service, command)(
        db_session=db_session, now=now, config=config, **kwargs
    )
    notice = None
    if not done.repeat:
        notice = notice_of(
            db_session,
            done.session,
            now=now,
            config=config,
            with_proposal=command == "propose",
            with_summary=command in ("end", "tip"),
        )
    return done.ack, notice


async def run(live: LiveServices, command: str, **kwargs) -> wire.SessionAck:
    """One command, committed, then heard by both sides; its ack."""
    config = service.Config.of(live.settings)
    ack, notice = await live.run_db(
        committed(_step), command=command, now=live.now(), config=config, **kwargs
    )
    if notice is not None:
        await publish(live, notice)
    return ack


# --- the customer's assistant ----------------------------------------------------------


def _customer(session: DeviceSession) -> service.Sender:
    device = session.device
    return service.Sender("customer", device.customer_id, device.customer_name or "")


_COMMANDS = {
    "session.propose": lambda m: (
        "propose",
        {
            "conversation_id": m.conversation_id,
            "terms": m.terms.value,
            "appointment_id": m.appointment_id,
        },
    ),
    "session.confirm": lambda m: ("confirm", {"session_id": m.session_id, "maximum": m.maximum}),
    "session.decline": lambda m: ("cancel", {"session_id": m.session_id}),
    "session.pause": lambda m: ("pause", {"session_id": m.session_id}),
    "session.resume": lambda m: ("resume", {"session_id": m.session_id}),
    "session.raise": lambda m: ("raise_maximum", {"session_id": m.session_id, "amount": m.amount}),
    "session.end": lambda m: ("end", {"session_id": m.session_id}),
    "session.tip": lambda m: ("tip", {"session_id": m.session_id, "amount": m.amount}),
}


async def on_command(session: DeviceSession, message) -> None:
    """A command of the customer's assistant; answered with `session.ack`, or with an
    `error` frame naming the `command_id` (`realtime.dispatch` names it)."""
    command, kwargs = _COMMANDS[message.type](message)
    ack = await run(
        session.live, command, sender=_customer(session), command_id=message.command_id, **kwargs
    )
    session.reply(ack)


def _own_session(*, db_session: Session, sender, message) -> None:
    """The session is one of the device's own customer's."""
    session = service.get_session(db_session=db_session, session_id=message.session_id)
    if session is None or session.customer_id != sender.customer_id:
        raise SessionNotFound()


# Another customer's session is "not found", as one that does not exist. A session never
# changes its customer: once granted, the grant holds for the socket. A proposal names the
# conversation: the device's own customer's, as for the chat's frames.
OWN_SESSION = Relation("own paid session", _own_session, lasting=lambda message: message.session_id)
DEVICE_KINDS = {
    name: device_kind(
        on_command, relation=OWN_CONVERSATION if name == wire.PROPOSE else OWN_SESSION
    )
    for name in _COMMANDS
}


# --- a side (re)connecting -------------------------------------------------------------


def _state(*, db_session: Session, now, config, customer_id=None, staff_id=None):
    """The frames of the open sessions of a customer (proposal and meter) or of an expert
    (meter), as of now; a meter not watched since the server was down shows what it had
    billed when last both sides were seen (the next tick pauses it there)."""
    statement = select(PaidSession).where(PaidSession.status.in_(service.OPEN))
    if customer_id is not None:
        statement = statement.where(PaidSession.customer_id == customer_id)
    else:
        statement = statement.where(PaidSession.expert_staff_id == staff_id)
    frames: list[BaseModel] = []
    for session in db_session.scalars(statement.order_by(PaidSession.id)):
        if customer_id is not None and session.status == "proposed":
            language = _customer_language(db_session, session)
            frames.append(
                service.proposal(
                    db_session=db_session,
                    session=session,
                    config=config,
                    gettext=translations(LOCALE_DIR, "portal", language).gettext,
                    locale=language,
                )
            )
        as_of = now
        if session.status == "running" and service.unwatched(session, now, config):
            as_of = service.last_watched(session)
        frames.append(service.meter(session, as_of))
    return frames


async def on_device_connect(session: DeviceSession) -> None:
    live = session.live
    frames = await live.run_db(
        _state,
        now=live.now(),
        config=service.Config.of(live.settings),
        customer_id=session.device.customer_id,
    )
    for frame in frames:
        session.reply(frame)


async def on_staff_connect(session) -> None:
    live = session.live
    frames = await live.run_db(
        _state, now=live.now(), config=service.Config.of(live.settings), staff_id=session.staff.id
    )
    for frame in frames:
        session.reply(frame)


# --- the job ---------------------------------------------------------------------------


def _tick(*, db_session: Session, now, config):
    ticked = renewal.meter_round(db_session=db_session, now=now, config=config)
    if not ticked:
        return []
    customer_ids = sorted({item.session.customer_id for item in ticked})
    devices: dict[int, list[str]] = {}
    for device_id, customer_id in db_session.execute(
        select(Device.id, Device.customer_id).where(Device.customer_id.in_(customer_ids))
    ):
        devices.setdefault(customer_id, []).append(device_id)
    notices = []
    for item in ticked:
        text = item.meter.model_dump_json()  # made once, whatever the number of channels
        notices.append(
            Notice(
                device_ids=devices.get(item.session.customer_id, []),
                expert_staff_id=item.session.expert_staff_id,
                conversation_id=item.session.conversation_id,
                to_customer=[text],
                to_expert=[text],
            )
        )
    return notices


async def tick(live: LiveServices) -> None:
    """The job `paid-session-meters`: every running meter brought up to now and shown, and
    the holds of sessions that outlast them renewed."""
    config = service.Config.of(live.settings)
    notices = await live.run_db(committed(_tick), now=live.now(), config=config)
    for notice in notices:
        await publish(live, notice)
