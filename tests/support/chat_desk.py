"""One customer's conversation driven through the chat's real code on the test's database,
on a clock the test moves: what a customer, the agents and the background rounds do, and
`where()`, everything that says where the conversation stands, read the way each side
reads it (the portal's inbox, the conversation's row, the system message the customer
reads last, the customer's status line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from agent_portal.auth.models import StaffMember
from agent_portal.chat import flows, page_data, routing, service
from agent_portal.chat.models import (
    ChatAttachment,
    ChatMessage,
    Conversation,
    ConversationNote,
)
from agent_portal.chat.schemas import conversation_info, message_info
from agent_portal.chat.staff_handlers import post_as_agent
from agent_portal.mail.models import OutboundEmail
from agent_portal.realtime import presence
from agent_portal.realtime.models import LiveConnection
from assistant.escalation import texts
from isp_common.live_wire import Topic

POLICY = routing.Policy(away_after=timedelta(minutes=5), max_chats=2)
SECTIONS = ("my_chats", "queue", "tickets")


@dataclass(frozen=True)
class Where:
    status: str
    agent: str | None  # the agent's name
    topic: str
    sections: dict[str, str | None]  # agent's name -> the section of their inbox with it
    last_system: tuple[str, dict] | None  # the customer's last system message: event, params
    customer_status: str  # the status line the customer reads
    customer_last_system: str | None  # that message in the customer's words


class ChatDesk:
    def __init__(self, world, customer, staff: list[StaffMember]) -> None:
        self.world = world
        self.customer = customer
        with world.session() as db_session:  # read once, for use outside any session
            staff = [db_session.get(StaffMember, member.id) for member in staff]
            db_session.expunge_all()
        self.staff = {member.display_name: member for member in staff}
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        self.conversation_id: int | None = None
        self._keys = 0

    # --- the clock and presence ---------------------------------------------------------

    def reset(self) -> None:
        """Forgets every conversation and open tab (between runs of a state machine)."""
        with self.world.session() as db_session:
            for model in (OutboundEmail, ConversationNote, ChatMessage, ChatAttachment):
                db_session.execute(delete(model))
            db_session.execute(delete(Conversation))
            db_session.execute(delete(LiveConnection))
            db_session.commit()
        self.conversation_id = None

    def wait(self, seconds: float) -> None:
        """Time passes; the open tabs stay alive and busy (their agents online)."""
        self.now += timedelta(seconds=seconds)
        with self.world.session() as db_session:
            for connection in db_session.scalars(select(LiveConnection)):
                connection.seen_at = connection.last_activity_at = self.now
            db_session.commit()

    def online(self, name: str) -> None:
        with self.world.session() as db_session:
            presence.open_connection(
                db_session=db_session,
                connection_id=f"tab-{name}",
                worker_id="test",
                staff_id=self.staff[name].id,
                now=self.now,
            )
            db_session.commit()

    def offline(self, name: str) -> None:
        with self.world.session() as db_session:
            presence.close_connection(
                db_session=db_session, connection_id=f"tab-{name}", now=self.now
            )
            db_session.commit()

    def sweep(self) -> None:
        """The background round: chats of agents who left back to the queue, the queue to
        free agents, or to tickets when nobody has been online for a while."""
        with self.world.session() as db_session:
            flows._route_queue(db_session=db_session, now=self.now, policy=POLICY)
            db_session.commit()

    # --- what people do -------------------------------------------------------------------

    def _key(self) -> str:
        self._keys += 1
        return f"key-{self._keys}"

    def start(self, topic: str = "internet", text: str = "Hello") -> None:
        with self.world.session() as db_session:
            posted = service.start_conversation(
                db_session=db_session,
                customer_id=self.customer.id,
                device_id=None,
                topic=Topic(topic),
                client_msg_id=self._key(),
                text=text,
                now=self.now,
            )
            self.conversation_id = posted.conversation.id
            routing.route(
                db_session=db_session, conversation=posted.conversation, now=self.now, policy=POLICY
            )
            db_session.commit()

    def take(self, name: str) -> None:
        with self.world.session() as db_session:
            flows._take(
                db_session=db_session,
                conversation_id=self.conversation_id,
                staff_id=self.staff[name].id,
                now=self.now,
            )
            db_session.commit()

    def hand_over(self, by: str, *, to: str | None = None, topic: str | None = None) -> None:
        target = {"to_staff_id": self.staff[to].id} if to else {"to_topic": topic}
        with self.world.session() as db_session:
            flows._transfer(
                db_session=db_session,
                conversation_id=self.conversation_id,
                staff_id=self.staff[by].id,
                now=self.now,
                policy=POLICY,
                **target,
            )
            db_session.commit()

    def customer_writes(self, text: str = "Any news?") -> None:
        with self.world.session() as db_session:
            service.post_message(
                db_session=db_session,
                conversation=db_session.get(Conversation, self.conversation_id),
                sender="customer",
                client_msg_id=self._key(),
                text=text,
                now=self.now,
                attachment_limit=1000,
            )
            db_session.commit()

    def agent_writes(self, name: str, text: str = "Please restart the router.") -> None:
        with self.world.session() as db_session:
            post_as_agent(
                db_session=db_session,
                conversation=db_session.get(Conversation, self.conversation_id),
                staff_id=self.staff[name].id,
                client_msg_id=self._key(),
                text=text,
                now=self.now,
                limit=1000,
            )
            db_session.commit()

    def close(self, by: str) -> None:
        with self.world.session() as db_session:
            service.close_conversation(
                db_session=db_session,
                conversation=db_session.get(Conversation, self.conversation_id),
                by=by,
                now=self.now,
            )
            db_session.commit()

    # --- where it stands ------------------------------------------------------------------

    def where(self) -> Where:
        with self.world.session() as db_session:
            conversation = db_session.get(Conversation, self.conversation_id)
            sections = {
                name: self._section(db_session, member)
                for name, member in self.staff.items()
                if member.role in routing.CHAT_ROLES and member.is_active
            }
            last = db_session.scalar(
                select(ChatMessage)
                .where(
                    ChatMessage.conversation_id == conversation.id, ChatMessage.sender == "system"
                )
                .order_by(ChatMessage.seq.desc())
                .limit(1)
            )
            position = service.queue_position(db_session=db_session, conversation=conversation)
            info = conversation_info(conversation, queue_position=position)
            return Where(
                status=conversation.status,
                agent=conversation.agent.display_name if conversation.agent else None,
                topic=conversation.topic,
                sections=sections,
                last_system=(last.event, dict(last.params)) if last else None,
                customer_status=texts.status_text(info),
                customer_last_system=texts.system_text(message_info(last)) if last else None,
            )

    def _section(self, db_session, member: StaffMember) -> str | None:
        inbox = page_data.inbox(
            db_session=db_session, staff=member, settings=self.world.settings, now=self.now
        )
        found = [
            section
            for section in SECTIONS
            if any(row.conversation.id == self.conversation_id for row in inbox[section])
        ]
        assert len(found) <= 1, f"listed in several sections of {member.display_name}: {found}"
        return found[0] if found else None
