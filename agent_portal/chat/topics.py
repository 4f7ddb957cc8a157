"""Which topics each agent takes chats on (their skills)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat.errors import N_, ChatError
from agent_portal.chat.models import AgentTopic
from isp_common.live_wire import Topic

TOPIC_LABELS = {
    Topic.internet: N_("Internet connection"),
    Topic.wifi: N_("Wi-Fi"),
    Topic.email: N_("E-mail"),
    Topic.computer: N_("Computer"),
    Topic.security: N_("Security"),
    Topic.contract: N_("Contract and billing"),
}


def parse_topics(values: Iterable[str]) -> list[Topic]:
    """Known topics from their names; ChatError naming the unknown ones."""
    wanted, unknown = [], []
    for value in values:
        name = value.strip().lower()
        if not name:
            continue
        if name in Topic.__members__:
            if Topic(name) not in wanted:
                wanted.append(Topic(name))
        else:
            unknown.append(value.strip())
    if unknown:
        raise ChatError(
            N_("Unknown topic: %(unknown)s. The topics are: %(known)s."),
            unknown=", ".join(unknown),
            known=", ".join(topic.value for topic in Topic),
        )
    return wanted


def topics_of(*, db_session: Session, staff_id: int) -> list[Topic]:
    rows = db_session.scalars(select(AgentTopic.topic).where(AgentTopic.staff_id == staff_id))
    return sorted((Topic(row) for row in rows), key=list(Topic).index)


def topics_by_staff(*, db_session: Session) -> dict[int, list[Topic]]:
    found: dict[int, list[Topic]] = {}
    for row in db_session.scalars(select(AgentTopic)):
        found.setdefault(row.staff_id, []).append(Topic(row.topic))
    return {staff: sorted(topics, key=list(Topic).index) for staff, topics in found.items()}


def set_topics(*, db_session: Session, staff: StaffMember, topics: Iterable[Topic]) -> list[Topic]:
    """Replaces the member's topics (all in one transaction, which the caller commits).
    Only agents and admins take chats."""
    if staff.role not in ("agent", "admin"):
        raise ChatError(
            N_("%(name)s is not a hotline agent; only agents and admins take chats."),
            name=staff.name,
        )
    return replace_topics(db_session=db_session, staff_id=staff.id, topics=topics)


def replace_topics(*, db_session: Session, staff_id: int, topics: Iterable[Topic]) -> list[Topic]:
    """The member's topics become `topics` (flushed, not committed): for a caller that
    changes more in the same transaction."""
    chosen = list(dict.fromkeys(Topic(topic) for topic in topics))
    db_session.execute(delete(AgentTopic).where(AgentTopic.staff_id == staff_id))
    db_session.add_all(AgentTopic(staff_id=staff_id, topic=topic.value) for topic in chosen)
    db_session.flush()
    return chosen
