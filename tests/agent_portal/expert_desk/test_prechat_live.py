"""Pre-chats over the real channels: the customer's assistant (the real client) writes to
an expert, whose portal tab (the staff channel) gets it and answers; an expert who does not
answer within `expert_answer_seconds` is turned away by the installation's job, and the
customer is told; an expert who is not online gets an offline message, said plainly; the
expert's inbox lists both and sets them online again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from agent_portal.chat.models import Conversation
from agent_portal.database import utcnow
from agent_portal.expert_desk import availability
from assistant.escalation import ServerRefused
from isp_common.expert_desk_wire import ExpertStatus
from tests.agent_portal.expert_desk.support import approved_expert
from tests.support.live import wait_until


def status(world, expert) -> ExpertStatus:
    with world.session() as db_session:
        return availability.status_of_staff(
            db_session=db_session,
            staff_id=expert.id,
            now=utcnow(),
            away_after=timedelta(minutes=world.settings.staff_away_minutes),
        )


def texts(assistant, conversation_id):
    return [
        (m.sender.value, m.event.value if m.event else m.text)
        for m in assistant.messages(conversation_id)
    ]


def test_the_customer_starts_a_pre_chat_and_the_expert_answers(
    portal, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    tab = staff_client(eva)
    tab.next("presence", kind="staff", id=eva.id)
    assert status(world, eva) is ExpertStatus.online
    assistant = assistant_for(key)

    info = assistant.call(assistant.help.start_prechat(eva.expert_id, "Can you set up my NAS?"))
    assert (info.kind.value, info.status.value, info.agent_name) == (
        "expert_prechat",
        "active",
        "Eva Experte",
    )
    assert assistant.help.status_text(info) == "Free pre-chat with Eva Experte."
    arrived = tab.next("chat.message", conversation_id=info.id)
    assert arrived["message"]["text"] == "Can you set up my NAS?"
    tab.send({"type": "watch", "conversation_id": info.id})
    tab.send(
        {
            "type": "chat.send",
            "conversation_id": info.id,
            "client_msg_id": "e-1",
            "text": "Yes: which model is it?",
        }
    )
    assert tab.next("chat.ack", client_msg_id="e-1")["seq"] == 2
    wait_until(lambda: len(assistant.messages(info.id)) == 2, what="the expert's answer")
    assert texts(assistant, info.id) == [
        ("customer", "Can you set up my NAS?"),
        ("agent", "Yes: which model is it?"),
    ]
    assert status(world, eva) is ExpertStatus.online  # answered: stays online


@pytest.mark.portal_settings(expert_answer_seconds=1)
def test_an_expert_who_does_not_answer_in_time_turns_away_until_back_online(
    portal, world, assistant_for, staff_client, http
):
    customer = world.customer()
    _device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    tab = staff_client(eva)
    tab.next("presence", kind="staff", id=eva.id)
    assistant = assistant_for(key)

    info = assistant.call(assistant.help.start_prechat(eva.expert_id, "Can you set up my NAS?"))
    tab.next("chat.message", conversation_id=info.id)
    # The job (every 0.2 s here) turns her away after 1 s without an answer.
    tab.next("inbox.changed", timeout=15)
    wait_until(lambda: status(world, eva) is ExpertStatus.away, what="away")
    wait_until(lambda: len(assistant.messages(info.id)) == 2, what="the customer is told")
    [_first, notice] = assistant.messages(info.id)
    assert notice.event.value == "expert_away"
    assert assistant.help.message_text(notice) == (
        "Eva Experte could not answer in time and is away now. Your message waits for "
        "them, and they will answer here later."
    )

    # Her inbox says why, and sets her online again.
    cookies = {"Cookie": f"portal_session={eva.token}"}
    page = http.get("/portal/expert", headers=cookies)
    assert page.status_code == 200
    assert "went unanswered" in page.text
    assert "Waiting for your answer" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    back = http.post(
        "/portal/expert/status",
        data={"csrf_token": csrf, "status": "online"},
        headers=cookies,
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert status(world, eva) is ExpertStatus.online
    refused = http.post(
        "/portal/expert/status", data={"csrf_token": csrf, "status": "asleep"}, headers=cookies
    )
    assert refused.status_code == 400
    assert status(world, eva) is ExpertStatus.online


def test_a_message_to_an_expert_who_is_not_online_waits_and_says_so(portal, world, assistant_for):
    customer = world.customer()
    _device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")  # no tab open
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_prechat(eva.expert_id, "Can you set up my NAS?"))
    wait_until(lambda: len(assistant.messages(info.id)) == 2, what="the notice")
    notice = assistant.messages(info.id)[1]
    assert assistant.help.message_text(notice) == (
        "Eva Experte is not online right now. Your message waits for them, and they will "
        "answer here later."
    )
    # Writing on is fine: the messages wait in the same conversation.
    sent = assistant.call(assistant.help.send(info.id, "It is a Synology."))
    assert sent.seq == 3


def test_a_pre_chat_with_an_unknown_expert_is_refused(portal, world, assistant_for):
    customer = world.customer()
    _device, key = world.device(customer)
    assistant = assistant_for(key)
    with pytest.raises(ServerRefused) as refused:
        assistant.call(assistant.help.start_prechat(999_999, "Hello?"), timeout=15)
    assert refused.value.code == "expert_not_found"


def test_an_expert_reads_the_allowed_reports_of_own_customers_only(
    portal, world, assistant_for, http
):
    from agent_portal.consent import service as consent
    from agent_portal.remote_diagnostics import service as diagnostics
    from tests.agent_portal.remote_diagnostics.test_diagnostics_channel import minimal_report

    customer = world.customer()
    device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    otto = approved_expert(world, "otto.expert", "Otto Fachmann")
    agent = world.staff("anna.berger")
    with world.session() as db_session:  # a report the customer allowed the hotline
        request = diagnostics.create_request(
            db_session=db_session,
            device=db_session.get(type(device), device.id),
            staff=db_session.get(type(agent), agent.id),
            now=utcnow(),
            timeout=timedelta(minutes=5),
        )
        consent.answer(
            db_session=db_session,
            consent_id=request.id,
            device_id=device.id,
            granted=True,
            now=utcnow(),
        )
        report = diagnostics.store_report(
            db_session=db_session,
            request_id=request.id,
            device_id=device.id,
            report=minimal_report(),
            now=utcnow(),
        )
        db_session.commit()
        path = f"/portal/diagnostics/reports/{report.id}"
    assistant = assistant_for(key)
    assistant.call(assistant.help.start_prechat(eva.expert_id, "Can you read my report?"))

    def page(member):
        return http.get(path, headers={"Cookie": f"portal_session={member.token}"})

    assert page(eva).status_code == 200  # her customer: the report the chat lists
    assert "Expert desk" in page(eva).text
    refused = page(otto)  # not his customer
    assert refused.status_code == 403
    assert "Experts see the reports of their own customers only." in refused.text

    # The pre-chat's page shows her the customer, but not the customer's e-mail address:
    # experts and customers write through the platform, each address kept from the other.
    with world.session() as db_session:
        talk = db_session.query(Conversation).filter_by(kind="expert_prechat").one()
        email = db_session.get(type(customer), customer.id).email
    chat = http.get(f"/portal/chats/{talk.id}", headers={"Cookie": f"portal_session={eva.token}"})
    assert chat.status_code == 200 and "Customer" in chat.text
    assert email and email not in chat.text
