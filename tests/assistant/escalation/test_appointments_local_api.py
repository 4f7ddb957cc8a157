"""The appointments through the assistant's local API, as its page uses them, against the
real portal: the live view holds the customer's open proposal once live help connects
(with its conversation, so the conversation shows it); the customer's answer changes it
there at once; an answer given twice, and a notice that is not shown, are refused in
words and change nothing."""

from __future__ import annotations

from datetime import timedelta

from agent_portal.appointments.models import Appointment
from tests.agent_portal.experts.appointments.support import prechat
from tests.agent_portal.experts.appointments.test_reminder_job import propose_in
from tests.support.live import wait_until


def live_appointments(client) -> list[dict]:
    return client.get("/api/live").json()["appointments"]


def test_the_live_view_holds_the_proposal_and_the_answer_changes_it(
    portal, world, customer_assistant
):
    chat = prechat(world, customer_language="en")
    made = propose_in(world, chat, timedelta(days=2), accept=False)
    assistant = customer_assistant(chat.customer)
    with assistant.client() as client:
        (shown,) = wait_until(lambda: live_appointments(client), what="the proposal read")
        assert (shown["id"], shown["conversation_id"], shown["status"]) == (
            made,
            chat.conversation_id,
            "proposed",
        )
        assert shown["status_text"] == "Proposed: awaiting your answer"
        assert shown["zone"] and shown["when"]
        assert client.get("/api/live").json()["notices"] == []  # read, not news

        declined = client.post(f"/api/appointments/{made}/decline")
        assert declined.status_code == 200 and declined.json()["status"] == "declined"
        assert live_appointments(client)[0]["status"] == "declined"  # at once, no reload
        again = client.post(f"/api/appointments/{made}/accept")
        assert again.status_code == 409
        assert again.json()["error"] == "This appointment was already answered or cancelled."
        assert world.rows(Appointment)[0].status == "declined"

        gone = client.post("/api/appointments/notices/proposed-999/dismiss")
        assert gone.status_code == 404
        assert gone.json()["error"] == "This notice is no longer shown."
