"""A draft knowledge-base article from a conversation, made by an agent with one button on
the conversation page (`POST /portal/chats/{id}/draft-article`).

What goes in:
- the problem: the customer's first message (it names the problem in the customer's own
  words, which is what other customers search for); the topic only when the customer
  wrote nothing;
- symptoms and solution: what the customer and the agents wrote (system lines and the
  internal handover notes never);
- the language: the customer's (the words are theirs), else the portal's default;
- findings: the non-ok findings of the customer's newest diagnostics report received
  while the conversation ran (or within `REPORT_NEARBY` of it), so that the published
  article shows up next to those findings in other customers' assistants.

Without an agent's answer there is no solution to write down: `NothingToDraft`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat.errors import NothingToDraft
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.chat.transcript import transcript
from agent_portal.knowledge import service as knowledge
from agent_portal.knowledge.findings import diagnostics_catalogue
from agent_portal.knowledge.models import Article, ArticleLanguage
from agent_portal.knowledge.schemas import FINDINGS_MAX
from agent_portal.remote_diagnostics import service as diagnostics
from isp_common.diagnostics.report import Severity

# A report the agent asked for just before the chat (or the customer sent just after it)
# is about the same problem.
REPORT_NEARBY = timedelta(hours=1)
AGENT = "agent"


def has_agent_reply(*, db_session: Session, conversation_id: int) -> bool:
    """Whether an agent wrote any text in the conversation: the solution of a draft."""
    return bool(
        db_session.scalar(
            select(
                exists().where(
                    ChatMessage.conversation_id == conversation_id,
                    ChatMessage.sender == AGENT,
                    ChatMessage.text != "",
                )
            )
        )
    )


def draft_article(
    *,
    db_session: Session,
    conversation_id: int,
    author: StaffMember,
    default_language: str,
    now: datetime,
) -> Article | None:
    """A new draft article from the conversation, by `author`; None for an unknown
    conversation; NothingToDraft (nothing stored) when no agent has answered yet."""
    found = transcript(db_session=db_session, conversation_id=conversation_id)
    if found is None:
        return None
    messages = found.messages
    if not any(speaker == AGENT for speaker, _text in messages):
        raise NothingToDraft()
    conversation = db_session.get(Conversation, conversation_id)
    return knowledge.draft_from_transcript(
        db_session=db_session,
        author=author,
        title=_title(found.title, messages),
        messages=messages,
        finding_ids=report_findings(db_session=db_session, conversation=conversation, now=now),
        language=_language(found.language, default_language),
        now=now,
    )


def _title(topic_label: str, messages: Sequence[tuple[str, str]]) -> str:
    # An empty title makes the knowledge base take the customer's first message.
    customer_wrote = any(speaker == "customer" for speaker, _text in messages)
    return "" if customer_wrote else topic_label


def _language(customer_language: str | None, default_language: str) -> str:
    languages = {member.value for member in ArticleLanguage}
    if customer_language in languages:
        return customer_language
    return default_language if default_language in languages else ArticleLanguage.DE.value


def report_findings(*, db_session: Session, conversation: Conversation, now: datetime) -> list[str]:
    """The ids of the non-ok findings of the customer's newest report around the
    conversation, those the editor knows, at most as many as an article takes."""
    record = diagnostics.newest_report(
        db_session=db_session,
        customer_id=conversation.customer_id,
        received_from=conversation.created_at - REPORT_NEARBY,
        received_until=(conversation.closed_at or now) + REPORT_NEARBY,
    )
    if record is None:
        return []
    try:
        report = diagnostics.parse(record)
    except ValidationError:
        # Checked on arrival; one a later version cannot read just brings no findings.
        return []
    catalogue = diagnostics_catalogue()
    wanted = [item.id for item in report.findings(minimum=Severity.info)]
    known = [item for item in dict.fromkeys(wanted) if catalogue.is_known(item)]
    return known[:FINDINGS_MAX]
