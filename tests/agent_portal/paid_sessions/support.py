"""A customer in a pre-chat with an approved expert, and the session's commands as each
side sends them, on the database itself (committed like a handler commits)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from agent_portal.expert_desk import service as desk
from agent_portal.ledger.check import check
from agent_portal.paid_sessions import renewal, service
from agent_portal.realtime import presence
from tests.agent_portal.expert_desk.support import approved_expert

T0 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
CONFIG = service.Config(
    billing_rule="second",
    fee_percent=Decimal(20),
    monthly_limit=None,
    grace_seconds=30,
)
_ids = itertools.count(1)


@dataclass
class Parties:
    world: object
    expert: object
    customer: object
    conversation_id: int
    device_id: str

    @property
    def as_customer(self) -> service.Sender:
        return service.Sender("customer", self.customer.id, "Erika Mustermann")

    @property
    def as_expert(self) -> service.Sender:
        return service.Sender("expert", self.expert.id, "Eva Experte")

    def run(self, command, *, sender=None, command_id=None, config=CONFIG, **kwargs):
        """One command, committed; its `Done`."""
        with self.world.session() as db_session:
            done = getattr(service, command)(
                db_session=db_session,
                sender=sender or self.as_customer,
                command_id=command_id or f"cmd-{next(_ids)}",
                config=config,
                **kwargs,
            )
            db_session.commit()
            return done

    def tick(self, now, config=CONFIG):
        """The meter's job at `now`; open sockets are refreshed first, as their worker does."""
        self.keep_alive(now)
        with self.world.session() as db_session:
            ticked = renewal.meter_round(db_session=db_session, now=now, config=config)
            db_session.commit()
            return ticked

    def session(self, session_id):
        with self.world.session() as db_session:
            return service.get_session(db_session=db_session, session_id=session_id)

    def _connection(self, side: str) -> str:
        own = self.device_id[:8] if side == "customer" else str(self.expert.id)
        return f"{side[:3]}-{own}-{self.customer.id}"

    def connect(self, side: str, now=T0):
        with self.world.session() as db_session:
            if side == "customer":
                presence.open_connection(
                    db_session=db_session,
                    connection_id=self._connection(side),
                    worker_id="worker",
                    now=now,
                    device_id=self.device_id,
                )
            else:
                presence.open_connection(
                    db_session=db_session,
                    connection_id=self._connection(side),
                    worker_id="worker",
                    now=now,
                    staff_id=self.expert.id,
                )
            db_session.commit()

    def disconnect(self, side: str, now=T0):
        connection = self._connection(side)
        with self.world.session() as db_session:
            presence.close_connection(db_session=db_session, connection_id=connection, now=now)
            db_session.commit()

    def keep_alive(self, now):
        """The worker refreshes its connections (as the live channel does)."""
        with self.world.session() as db_session:
            presence.refresh_worker(db_session=db_session, worker_id="worker", now=now)
            db_session.commit()

    def ledger_clean(self) -> bool:
        with self.world.session() as db_session:
            return check(db_session=db_session).ok


def make_parties(world, *, connected=True, run: int = 0, **expert_fields) -> Parties:
    """`run` tells apart the parties of several runs on one database."""
    expert_fields = {"price_per_session": 5000, **expert_fields}
    username = f"eva.expert{run or ''}"
    expert = approved_expert(world, username, "Eva Experte", **expert_fields)
    customer = world.customer(f"K-{100234 + run}")
    device, _key = world.device(customer)
    with world.session() as db_session:
        started = desk.start_prechat(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            expert_id=expert.expert_id,
            client_msg_id="first",
            text="Mein NAS sichert nicht mehr.",
            now=T0 - timedelta(minutes=5),
            away_after=timedelta(minutes=5),
        )
        db_session.commit()
        conversation_id = started.conversation.id
    parties = Parties(world, expert, customer, conversation_id, device.id)
    if connected:
        parties.connect("customer")
        parties.connect("expert")
    return parties
