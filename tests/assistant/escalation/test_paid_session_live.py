"""A paid session over the real live channel against the real portal, from the customer's
side: the real assistant (headless, signed in) asks its expert for a session through its
local API, as its page does; the terms arrive before anything starts; a maximum that cannot
be used is refused in words and nothing is held; the confirmed maximum starts the meter;
the customer raises it, pauses, resumes, ends, reads the summary and tips. And a command
sent while the connection is down goes again with the same command_id once it is back, so
the server applies it once."""

from __future__ import annotations

import pytest

from agent_portal.paid_sessions import flows, service
from agent_portal.paid_sessions.models import PaidSession, PaidSessionCommand, PaidSessionHold
from assistant.escalation.paid_sessions import new_command_id
from isp_common.formatting import money
from isp_common.paid_sessions_wire import SessionConfirm, SessionPropose
from tests.agent_portal.expert_desk.support import approved_expert
from tests.support.live import RestartableServer, wait_until
from tests.support.relay import on_server

SPACE = str.maketrans({"\xa0": " ", "\u202f": " "})


def live_view(client) -> dict:
    return client.get("/api/live").json()


def session_of(client, conversation_id: int) -> dict | None:
    for conversation in live_view(client)["conversations"]:
        if conversation["id"] == conversation_id:
            return conversation["session"]
    return None


def wait_for_stage(client, conversation_id: int, stage: str, what: str = "") -> dict:
    return wait_until(
        lambda: (s := session_of(client, conversation_id)) and s["stage"] == stage and s,
        what=what or f"the session {stage}",
    )


def test_the_customer_confirms_a_maximum_runs_raises_pauses_ends_and_tips(
    portal, world, customer_assistant, staff_client
):
    customer = world.customer()
    eva = approved_expert(world, "eva.expert", "Eva Experte")  # CHF 1.50 per minute
    tab = staff_client(eva)
    tab.next("presence", kind="staff", id=eva.id)
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_until(lambda: live_view(client)["state"] == "connected", what="connected")
        started = client.post(
            f"/api/experts/{eva.expert_id}/prechat", json={"text": "Can you set up my NAS?"}
        )
        assert started.status_code == 201, started.text
        conversation_id = started.json()["id"]
        wait_until(
            lambda: any(
                c["id"] == conversation_id and c["can_propose"]
                for c in live_view(client)["conversations"]
            ),
            what="the pre-chat offers a paid session",
        )

        asked = client.post(
            f"/api/live/conversations/{conversation_id}/sessions",
            json={"terms": "per_minute", "command_id": "ask-1"},
        )
        assert asked.status_code == 200, asked.text
        proposed = wait_for_stage(client, conversation_id, "proposed")
        assert proposed["terms_text"].translate(SPACE) == (
            f"{money(150, 'CHF', locale='en')} per minute".translate(SPACE)
        )
        assert proposed["proposal"]["default_maximum"] == "22.50"
        assert proposed["proposal"]["billing_text"].startswith("Counted ")
        assert proposed["status_text"] == "You asked Eva Experte for a paid session"
        session_id = proposed["id"]
        confirm = f"/api/live/sessions/{session_id}/confirm"

        # Nothing starts on an amount that cannot be used; each says why.
        for typed, code in [
            ("", "amount_empty"),
            ("twenty", "amount_invalid"),
            ("0", "amount_zero"),
            ("1", "amount_too_small"),
            ("99999", "amount_over_spending_limit"),  # the installation's monthly limit
        ]:
            refused = client.post(confirm, json={"maximum": typed})
            assert (refused.status_code, refused.json()["code"]) == (422, code), typed
            assert refused.json()["error"].startswith("Please enter") or code == "amount_invalid"
        assert world.count(PaidSessionHold) == 0
        assert world.rows(PaidSession)[0].status == "proposed"
        early = client.post(f"/api/live/sessions/{session_id}/end")
        assert early.status_code == 409  # nothing runs yet

        confirmed = client.post(confirm, json={"maximum": "22.50", "command_id": "go-1"})
        assert confirmed.status_code == 200, confirmed.text
        running = wait_for_stage(client, conversation_id, "running")
        meter = running["meter"]
        assert meter["maximum_text"].translate(SPACE) == money(2250, "CHF", locale="en").translate(
            SPACE
        )
        assert meter["warning"] is False and running["status_text"] == (
            "Paid session with Eva Experte is running."
        )
        # The page asks again with the same id (its request seemed lost): applied once.
        again = client.post(confirm, json={"maximum": "22.50", "command_id": "go-1"})
        assert again.json() == {"done": True, "command_id": "go-1"}
        assert world.count(PaidSessionHold) == 1

        raised = client.post(
            f"/api/live/sessions/{session_id}/raise", json={"amount": "10", "command_id": "up-1"}
        )
        assert raised.status_code == 200, raised.text
        wait_until(
            lambda: (
                session_of(client, conversation_id)["meter"]["maximum_text"].translate(SPACE)
                == money(3250, "CHF", locale="en").translate(SPACE)
            ),
            what="the raised maximum",
        )
        assert client.post(f"/api/live/sessions/{session_id}/pause").status_code == 200
        paused = wait_for_stage(client, conversation_id, "paused")
        assert paused["status_text"] == (
            "You have paused the session. Nothing is charged during the pause."
        )
        assert client.post(f"/api/live/sessions/{session_id}/resume").status_code == 200
        wait_for_stage(client, conversation_id, "running", "resumed")
        assert client.post(f"/api/live/sessions/{session_id}/end").status_code == 200
        ended = wait_for_stage(client, conversation_id, "ended")
        rows = {row["key"]: row["value"] for row in ended["summary"]["rows"]}
        assert set(rows) == {"time", "amount", "waived", "tip", "total"}
        assert ended["summary"]["tip_open"] is True

        too_much = client.post(f"/api/live/sessions/{session_id}/tip", json={"amount": "5000"})
        assert (too_much.status_code, too_much.json()["code"]) == (422, "amount_too_large")
        tipped = client.post(
            f"/api/live/sessions/{session_id}/tip", json={"amount": "2", "command_id": "tip-1"}
        )
        assert tipped.status_code == 200, tipped.text
        thanked = wait_until(
            lambda: session_of(client, conversation_id)["summary"]["tip_text"], what="the tip"
        )
        assert thanked.translate(SPACE).startswith("Thank you: your tip of")
    (stored,) = world.rows(PaidSession)
    assert (stored.status, stored.tip) == ("ended", 200)


@pytest.fixture
def server(settings):
    server = RestartableServer(settings).start()
    yield server
    if server.thread.is_alive():
        server.stop()


def test_a_command_sent_while_the_connection_is_down_goes_once_with_its_id(
    server, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    tab = staff_client(eva, url=server.url)
    tab.next("presence", kind="staff", id=eva.id)
    assistant = assistant_for(key, url=server.url)
    sessions = assistant.help.sessions
    info = assistant.call(assistant.help.start_prechat(eva.expert_id, "Can you set up my NAS?"))
    ask = SessionPropose(command_id=new_command_id(), conversation_id=info.id)
    ack = assistant.call(sessions.command(ask, timeout=15))
    session_id = ack.session_id
    wait_until(lambda: sessions.session(session_id) and sessions.session(session_id).proposal)

    server.stop()
    wait_until(lambda: not assistant.help.channel.connected, what="the connection dropped")
    confirm = SessionConfirm(command_id=new_command_id(), session_id=session_id, maximum=2250)
    with pytest.raises(TimeoutError):
        assistant.call(sessions.command(confirm, timeout=1.5))
    assert sessions.waiting(session_id) == [confirm]  # kept, to be sent again as it is
    server.start()

    answered = assistant.call(sessions.command(confirm, timeout=30), timeout=40)
    assert answered.command_id == confirm.command_id
    assert answered.meter.status.value == "running"
    assert sessions.waiting(session_id) == []
    assert world.count(PaidSessionHold) == 1
    assert world.count(PaidSessionCommand, PaidSessionCommand.command_id == confirm.command_id) == 1


def expert_step(portal_app, command: str, expert, **values):
    """What the expert's meter panel does: one command through the server's own flow."""
    sender = service.Sender("expert", expert.id, "Eva Experte")
    return on_server(
        portal_app, flows.run, command=command, sender=sender, command_id=new_command_id(), **values
    )


@pytest.mark.portal_settings(session_billing="started_minute", session_tick_seconds=0.2)
def test_the_expert_proposes_pauses_asks_to_resume_and_waives_and_the_customer_is_warned(
    portal, portal_app, world, customer_assistant, staff_client
):
    customer = world.customer()
    eva = approved_expert(world, "eva.expert", "Eva Experte")  # CHF 1.50 per minute
    staff_client(eva).next("presence", kind="staff", id=eva.id)
    assistant = customer_assistant(customer)
    with assistant.client() as client:
        wait_until(lambda: live_view(client)["state"] == "connected", what="connected")
        started = client.post(f"/api/experts/{eva.expert_id}/prechat", json={"text": "Hello"})
        conversation_id = started.json()["id"]
        expert_step(portal_app, "propose", eva, conversation_id=conversation_id)
        proposed = wait_for_stage(client, conversation_id, "proposed")
        assert proposed["status_text"] == "Eva Experte proposes a paid session"
        assert proposed["proposal"]["billing_text"] == (
            "Counted per started minute: each minute that has begun is paid in full."
        )
        # CHF 1.875 is no amount of francs. With CHF 1.85 the first started minute (CHF 1.50)
        # is 81 % of the maximum: the warning comes at once.
        refused = client.post(
            f"/api/live/sessions/{proposed['id']}/confirm", json={"maximum": "1.875"}
        )
        assert refused.json()["code"] == "amount_invalid"
        assert (
            client.post(
                f"/api/live/sessions/{proposed['id']}/confirm", json={"maximum": "1.85"}
            ).status_code
            == 200
        )
        warned = wait_until(
            lambda: (
                (s := session_of(client, conversation_id))["meter"] and s["meter"]["warning"] and s
            ),
            what="the warning at 80 %",
        )
        assert (
            warned["meter"]["warning_text"]
            .translate(SPACE)
            .startswith("81 % of your maximum is used:")
        )

        expert_step(portal_app, "pause", eva, session_id=proposed["id"])
        paused = wait_for_stage(client, conversation_id, "paused")
        assert paused["meter"]["paused_reason"] == "expert"
        assert paused["status_text"] == (
            "Eva Experte has paused the session. Nothing is charged during the pause."
        )
        assert paused["meter"]["resume_requested"] is False
        expert_step(portal_app, "request_resume", eva, session_id=proposed["id"])
        asked = wait_until(
            lambda: (s := session_of(client, conversation_id))["meter"]["resume_requested"] and s,
            what="the expert's request to resume",
        )
        assert asked["meter"]["resume_question"] == (
            "Eva Experte would like to go on. Resume the paid session?"
        )
        assert client.post(f"/api/live/sessions/{proposed['id']}/resume").status_code == 200
        wait_for_stage(client, conversation_id, "running", "resumed on the customer's yes")

        expert_step(portal_app, "end", eva, session_id=proposed["id"], waive=50)
        ended = wait_for_stage(client, conversation_id, "ended")
        rows = {row["key"]: row["value"].translate(SPACE) for row in ended["summary"]["rows"]}
        assert rows["amount"] == money(150, "CHF", locale="en").translate(SPACE)
        assert rows["waived"] == money(50, "CHF", locale="en").translate(SPACE)
        assert rows["total"] == money(100, "CHF", locale="en").translate(SPACE)
        assert rows["time"] == "1 min"
