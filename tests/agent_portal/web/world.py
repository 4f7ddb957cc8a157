"""What the portal's form tests arrange in the test's database, through the product's own
services: customers, devices linked with a real key (and so an offline secret), unlock
codes, API keys, articles, conversations, staff members with portal sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.appointments import service as appointments
from agent_portal.audit.models import AuditEntry
from agent_portal.audit.service import Actor
from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.chat import service as chat
from agent_portal.config import PortalSettings
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer, Device
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.devices import service as devices
from agent_portal.escalation import service as escalation
from agent_portal.expert_desk import service as desk
from agent_portal.experts import service as experts
from agent_portal.experts.models import ExpertCategory
from agent_portal.knowledge import service as knowledge
from agent_portal.knowledge.models import ArticleStatus
from agent_portal.realtime import presence
from agent_portal.server_keys import ServerKeys
from agent_portal.unlock_codes import service as unlock_codes
from isp_common.live_wire import Topic
from tests.support import paid_money
from tests.support.portal_data import TLS_CHECK, create_staff, new_api_key, new_portal_session

ENGLISH = {"Accept-Language": "en"}


def in_two_days_at_ten() -> datetime:
    """A wall-clock time two days ahead, at ten in the morning (no time zone)."""
    return datetime.combine(date.today() + timedelta(days=2), time(10, 0))


@dataclass
class StaffBrowser:
    """A staff member's HTTP client with the portal session cookie, and its form token."""

    member: object
    client: httpx.Client
    csrf_token: str
    session_token: str

    def post(self, path: str, data: dict | None = None, **options) -> httpx.Response:
        return self.client.post(
            path, data={"csrf_token": self.csrf_token, **(data or {})}, **options
        )


class World:
    def __init__(self, settings: PortalSettings, keys: ServerKeys, base_url: str = "") -> None:
        self.settings = settings
        self.keys = keys
        self.base_url = base_url
        self.engine = make_engine(settings.database_url)
        self.factory = make_session_factory(self.engine)
        self.clients: list[httpx.Client] = []

    def session(self) -> Session:
        return self.factory()

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.engine.dispose()

    # --- people ----------------------------------------------------------------------

    def staff(self, username: str, role: str = "agent"):
        with self.session() as db_session:
            return create_staff(db_session, username, role)

    def browser(self, username: str, role: str = "agent") -> StaffBrowser:
        """A new staff member, logged in (a portal session of their own)."""
        member = self.staff(username, role)
        with self.session() as db_session:
            new = new_portal_session(db_session, member)
        client = httpx.Client(base_url=self.base_url, timeout=30, headers=ENGLISH, verify=TLS_CHECK)
        client.cookies.set(SESSION_COOKIE, new.token)
        self.clients.append(client)
        return StaffBrowser(member, client, new.session.csrf_token, new.token)

    # --- customers and their devices -------------------------------------------------

    def customer(self, account_number: str, tier: str = "premium") -> Customer:
        body = {
            "name": "Erika Mustermann",
            "email": f"{account_number.lower()}@example.de",
            "subscription": {"tier": tier},
        }
        with self.session() as db_session:
            customer = customers.save(
                db_session=db_session,
                account_number=account_number,
                customer_in=CustomerIn.model_validate(body),
                time_zone="Europe/Berlin",
            ).customer
            db_session.commit()
            return customer

    def device(self, customer: Customer, name: str = "Erikas Laptop") -> Device:
        """A device linked the way the assistant links one: its own key, an offline secret."""
        public_key = (
            Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        with self.session() as db_session:
            device, _secret = devices.attach(
                db_session=db_session,
                keys=self.keys,
                customer=db_session.get(Customer, customer.id),
                public_key=public_key,
                name=name,
                platform="linux",
                now=utcnow(),
                device_limits=self.settings.device_limits,
            )
            db_session.commit()
            return device

    def online(self, device: Device) -> None:
        """The device's assistant has its live channel open."""
        with self.session() as db_session:
            presence.open_connection(
                db_session=db_session,
                connection_id=uuid.uuid4().hex,
                worker_id="tests",
                now=utcnow(),
                device_id=device.id,
            )
            db_session.commit()

    def unlock_code(self, customer: Customer, staff) -> int:
        with self.session() as db_session:
            issued = unlock_codes.issue(
                db_session=db_session,
                keys=self.keys,
                customer=db_session.get(Customer, customer.id),
                staff=auth_service.get_staff(db_session=db_session, staff_id=staff.id),
                now=utcnow(),
                lifetime=timedelta(minutes=15),
            )
            db_session.commit()
            return issued.unlock_code.id

    def api_key(self, name: str = "billing system") -> int:
        with self.session() as db_session:
            return new_api_key(db_session, name).api_key.id

    # --- knowledge and chat ----------------------------------------------------------

    def article(self, author, status: ArticleStatus = ArticleStatus.DRAFT) -> int:
        with self.session() as db_session:
            article_in = knowledge.validate(
                problem_text="The Wi-Fi drops every evening",
                symptoms="The laptop loses the connection around 8 pm.",
                solution="1. Restart the router.\n2. Choose channel 1, 6 or 11.",
                tags=["wifi"],
                language="en",
                finding_ids=[],
            )
            article = knowledge.create(
                db_session=db_session,
                author=auth_service.get_staff(db_session=db_session, staff_id=author.id),
                article_in=article_in,
            )
            if status is not ArticleStatus.DRAFT:
                knowledge.set_status(db_session=db_session, article_id=article.id, status=status)
            db_session.commit()
            return article.id

    # --- experts ---------------------------------------------------------------------

    def expert_category(self, name_en: str) -> int:
        """The id of a category of the starter tree, by its English name."""
        with self.session() as db_session:
            return db_session.scalar(
                select(ExpertCategory.id).where(ExpertCategory.name_en == name_en)
            )

    def expert_profile(
        self, username: str, *, approved: bool = False, suspended: bool = False, member=None
    ) -> int:
        """An expert whose profile waits for approval (or is approved, and suspended);
        `member` gives the profile to a staff member who exists already."""
        member = member or self.staff(username, "expert")
        with self.session() as db_session:
            profile_in = experts.validate(
                db_session=db_session,
                limits=experts.PriceLimits(),
                display_name="Eva Keller",
                languages=["de"],
                category_ids=[self.expert_category("Windows")],
                keywords="Windows",
                slogan="Ich mache Ihren PC wieder schnell.",
                qualifications="",
                experience="",
                text_language="de",
                price_per_minute=150,
                price_per_session=None,
            )
            draft = experts.submit_profile(
                db_session=db_session,
                staff=auth_service.get_staff(db_session=db_session, staff_id=member.id),
                profile_in=profile_in,
                photo_max_bytes=1_000_000,
            )
            profile_id = draft.profile_id
            if approved or suspended:
                experts.approve_change(
                    db_session=db_session, profile_id=profile_id, actor=Actor.system()
                )
            if suspended:
                experts.suspend_expert(
                    db_session=db_session,
                    profile_id=profile_id,
                    reason="test",
                    actor=Actor.system(),
                )
            db_session.commit()
            return profile_id

    def conversation(self, customer: Customer, agent=None, device: Device | None = None) -> int:
        """A customer's chat (from `device`, if given), waiting in the queue or (with
        `agent`) taken by that agent."""
        with self.session() as db_session:
            found = chat.start_conversation(
                db_session=db_session,
                customer_id=customer.id,
                device_id=device.id if device is not None else None,
                topic=Topic.wifi,
                client_msg_id=uuid.uuid4().hex,
                text="My Wi-Fi drops every evening.",
                now=utcnow(),
            ).conversation
            if agent is not None:
                found.status = "active"
                found.agent_id = agent.id
                chat.add_message(
                    db_session=db_session,
                    conversation=found,
                    sender="agent",
                    now=utcnow(),
                    text="Please restart the router and choose channel 6.",
                    client_msg_id=uuid.uuid4().hex,
                    staff_id=agent.id,
                )
            db_session.commit()
            return found.id

    def prechat(self, customer: Customer, expert_profile_id: int) -> int:
        """A customer's free pre-chat with an approved expert, as the assistant starts it."""
        with self.session() as db_session:
            started = desk.start_prechat(
                db_session=db_session,
                customer_id=customer.id,
                device_id=None,
                expert_id=expert_profile_id,
                client_msg_id=uuid.uuid4().hex,
                text="Can you help me with my NAS?",
                now=utcnow(),
                away_after=timedelta(minutes=5),
            )
            db_session.commit()
            return started.conversation.id

    def offer(self, conversation_id: int, agent, expert_profile_id: int) -> int:
        """The agent's offer of an expert in the hotline chat the agent holds."""
        with self.session() as db_session:
            outcome = escalation.offer_expert(
                db_session=db_session,
                conversation=chat.get_conversation(
                    db_session=db_session, conversation_id=conversation_id
                ),
                agent=auth_service.get_staff(db_session=db_session, staff_id=agent.id),
                expert_id=expert_profile_id,
                note="",
                now=utcnow(),
                expires_after=timedelta(minutes=10),
            )
            db_session.commit()
            return outcome.offer.id

    def appointment(self, conversation_id: int, expert) -> int:
        """The expert's proposal of a free appointment in two days, in their pre-chat."""
        with self.session() as db_session:
            appointment = appointments.propose(
                db_session=db_session,
                conversation_id=conversation_id,
                staff_id=expert.id,
                local_start=in_two_days_at_ten(),
                time_zone="Europe/Zurich",
                duration_minutes=30,
                terms="free",
                price=None,
                now=utcnow(),
                rules=appointments.Rules.from_settings(self.settings),
            )
            db_session.commit()
            return appointment.id

    def paid_session(self, customer: Customer, username: str = "eva.keller", **figures) -> int:
        """An ended paid session of the customer with an expert (made now), its charge
        and tip posted on the ledger (`tests.support.paid_money`); figures default to an
        amount of CHF 12.00 and a tip of CHF 3.00."""
        with self.session() as db_session:
            member = auth_service.get_staff_by_username(db_session=db_session, username=username)
            expert = paid_money.expert(db_session, username, staff=member)
            paid = paid_money.ended_session(
                db_session,
                customer_id=customer.id,
                expert=expert,
                **{"amount": 1200, "tip": 300, **figures},
            )
            db_session.commit()
            return paid.id

    def dispute(self, session_id: int, reason: str = "Der Experte war nach zwei Minuten weg."):
        """The customer's dispute of their paid session, as their assistant raises it."""
        from agent_portal.billing import service as billing
        from agent_portal.paid_sessions.models import PaidSession

        with self.session() as db_session:
            billing.raise_dispute(
                db_session=db_session,
                session_id=session_id,
                customer_id=db_session.get(PaidSession, session_id).customer_id,
                device_id=None,
                reason=reason,
                now=utcnow(),
            )
            db_session.commit()

    # --- what happened ---------------------------------------------------------------

    def audit_count(self, event: str) -> int:
        with self.session() as db_session:
            return db_session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.event == event)
            )
