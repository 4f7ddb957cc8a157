"""The words of a relayed message's e-mail copy, in the recipient's language."""

from __future__ import annotations

from agent_portal.chat.models import ChatMessage
from agent_portal.chat.topics import TOPIC_LABELS
from agent_portal.i18n import LOCALE_DIR
from isp_common.i18n import N_, translations
from isp_common.live_wire import Topic

SUBJECT = N_("Your conversation about: %(topic)s")
SUBJECT_EXPERT = N_("Your conversation with the expert %(expert)s")
BODY = N_("%(sender)s wrote:")
ATTACHMENT = N_("Attached file: %(filename)s (in the conversation)")
FOOTER = N_(
    "Reply to this e-mail to answer in the conversation. Replies are accepted only from "
    "the address this e-mail was sent to, and the other side never sees it."
)


def copy_email(
    *,
    language: str,
    subject: str | None,
    topic: str,
    sender_name: str,
    message: ChatMessage,
    expert_name: str | None = None,
) -> tuple[str, str]:
    """Subject and plain-text body of one message's copy (a conversation with an expert
    is named by the expert, a hotline chat by its topic)."""
    gettext = translations(LOCALE_DIR, "portal", language).gettext
    if not subject and expert_name:
        subject = gettext(SUBJECT_EXPERT) % {"expert": expert_name}
    if not subject:
        subject = gettext(SUBJECT) % {"topic": gettext(TOPIC_LABELS[Topic(topic)])}
    parts = [gettext(BODY) % {"sender": sender_name}, ""]
    if message.text:
        parts += [message.text, ""]
    if message.attachment is not None:
        parts += [gettext(ATTACHMENT) % {"filename": message.attachment.filename}, ""]
    parts += ["-- ", gettext(FOOTER)]
    return subject, "\n".join(parts) + "\n"
