"""Turning a solved conversation into the parts of an article, for the agent to edit.

What the customer wrote describes the problem and its symptoms; what the agent or expert
(any speaker but "customer" and "system") wrote holds the solution. Greetings and thanks
come along too: the agent edits the draft before publishing it, and deleting a line is
quicker than finding one that is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent_portal.knowledge.schemas import SOLUTION_MAX, SYMPTOMS_MAX, one_line, paragraphs

CUSTOMER = "customer"
# Notices such as "Anna joined the chat" are no one's words.
LEFT_OUT = frozenset({"system"})


@dataclass(frozen=True)
class Draft:
    problem: str
    symptoms: str
    solution: str


def shorten(text: str, maximum: int) -> str:
    """`text` cut at a word boundary to at most `maximum` characters, marked with "…"."""
    if len(text) <= maximum:
        return text
    cut = text[: maximum - 1]
    if " " in cut[maximum // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def _joined(texts: list[str], maximum: int) -> str:
    return shorten("\n\n".join(texts), maximum)


def compose_draft(*, title: str, messages: Sequence[tuple[str, str]], problem_max: int) -> Draft:
    said = [(speaker.strip().lower(), paragraphs(text)) for speaker, text in messages]
    said = [(speaker, text) for speaker, text in said if text]
    customer = [text for speaker, text in said if speaker == CUSTOMER]
    replies = [text for speaker, text in said if speaker not in LEFT_OUT | {CUSTOMER}]
    headline = one_line(title) or (one_line(customer[0]) if customer else "")
    return Draft(
        problem=shorten(headline, problem_max),
        symptoms=_joined(customer, SYMPTOMS_MAX),
        solution=_joined(replies, SOLUTION_MAX),
    )
