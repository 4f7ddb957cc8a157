"""A request for a report is a question the customer must answer within two minutes: the
assistant's desk asks its window forward the moment the question is there (the window's
side is tested in a real Qt window, tests/assistant/app/test_window.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from assistant.escalation.consent import Question
from assistant.escalation.desk import LiveDesk


def desk_with(on_question) -> LiveDesk:
    # Only the consent dialog's part of the desk runs here: no server, no checks.
    return LiveDesk(
        premium=None,
        language=lambda: "en",
        run_checks=None,
        describe_checks=None,
        on_question=on_question,
    )


async def ask_and_answer(desk: LiveDesk, allowed: bool) -> bool | None:
    question = Question(
        consent_id="c1",
        kind="report",
        requester_name="Anna Berger",
        requester_role="agent",
        reason="",
        items=["Wi-Fi", "Internet"],
        answer_by=datetime.now(UTC) + timedelta(minutes=2),
        lasts_seconds=300,
    )
    answer = asyncio.create_task(desk._ask_consent(question))
    for _ in range(100):
        if desk.questions:
            break
        await asyncio.sleep(0.01)
    (question,) = desk.questions
    assert desk.view()["consent"]["agent_name"] == "Anna Berger"
    assert desk.answer_consent(question.id, allowed=allowed)
    return await answer


def test_the_window_is_asked_forward_when_the_question_is_there():
    forward_with_questions: list[int] = []
    desk = desk_with(lambda: forward_with_questions.append(len(desk.questions)))
    assert asyncio.run(ask_and_answer(desk, allowed=True)) is True
    # Once, and only after the dialog's question could be read by the page.
    assert forward_with_questions == [1]
    assert desk.questions == []


def test_a_window_that_cannot_come_forward_does_not_lose_the_question():
    def broken() -> None:
        raise RuntimeError("the window is gone")

    desk = desk_with(broken)
    assert asyncio.run(ask_and_answer(desk, allowed=False)) is False
