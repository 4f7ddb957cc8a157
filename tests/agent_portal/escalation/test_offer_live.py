"""Offers over the real channels: the agent offers on the portal page, the customer's
assistant (the real client) hears `expert_offered` and shows it as the open offer; an
offer left unanswered ends by the installation's job (`expert_offer_seconds`) and is no
longer open; an answer from the assistant's client hands the chat over, and the agent's
tab hears it."""

from __future__ import annotations

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat_service
from agent_portal.chat.models import Conversation
from agent_portal.database import utcnow
from agent_portal.escalation.models import ExpertOffer
from assistant.escalation.desk_view import open_offer
from isp_common.live_wire import Topic
from tests.agent_portal.escalation.test_pages import Browser
from tests.agent_portal.expert_desk.support import approved_expert
from tests.support.live import wait_until


def live_chat(world, customer, device, agent) -> int:
    now = utcnow()
    with world.session() as db_session:
        conversation = chat_service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            topic=Topic.wifi,
            client_msg_id="first",
            text="My NAS backups fail.",
            now=now,
        ).conversation
        member = db_session.get(StaffMember, agent.id)
        routing.assign(db_session=db_session, conversation=conversation, agent=member, now=now)
        db_session.commit()
        return conversation.id


def events(assistant, conversation_id) -> list[str]:
    return [m.event.value for m in assistant.messages(conversation_id) if m.event]


@pytest.mark.portal_settings(expert_offer_seconds=1)
def test_an_unanswered_offer_expires_on_both_sides(portal, world, assistant_for, staff_client):
    customer = world.customer()
    device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    anna = world.staff("anna.berger", topics=("wifi",))
    conversation_id = live_chat(world, customer, device, anna)
    assistant = assistant_for(key)
    page = Browser(world, portal, anna)
    try:
        answer = page.post(
            f"/portal/chats/{conversation_id}/offer", {"expert_id": str(eva.expert_id)}
        )
        assert answer.status_code == 303
    finally:
        page.http.close()
    wait_until(lambda: "expert_offered" in events(assistant, conversation_id))
    # Open at once; the job ends it after a second, and the assistant hears it.
    wait_until(lambda: "offer_expired" in events(assistant, conversation_id), timeout=15)
    assert open_offer(assistant.messages(conversation_id)) is None
    assert world.rows(ExpertOffer)[0].status == "expired"
    assert world.rows(Conversation)[0].kind == "hotline"


def test_the_assistant_accepts_and_the_agent_hears_it(portal, world, assistant_for, staff_client):
    customer = world.customer()
    device, key = world.device(customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    anna = world.staff("anna.berger", topics=("wifi",))
    conversation_id = live_chat(world, customer, device, anna)
    tab = staff_client(anna)
    tab.next("presence", kind="staff", id=anna.id)
    tab.send({"type": "watch", "conversation_id": conversation_id})
    assistant = assistant_for(key)
    page = Browser(world, portal, anna)
    try:
        page.post(f"/portal/chats/{conversation_id}/offer", {"expert_id": str(eva.expert_id)})
    finally:
        page.http.close()
    wait_until(lambda: open_offer(assistant.messages(conversation_id)) is not None)
    offer = open_offer(assistant.messages(conversation_id))
    assert (offer["expert_id"], offer["expert"]) == (eva.expert_id, "Eva Experte")

    assistant.call(assistant.help.chat.answer_offer(offer["id"], True))
    heard = tab.next("chat.message", conversation_id=conversation_id)
    while heard["message"].get("event") != "expert_accepted":
        heard = tab.next("chat.message", conversation_id=conversation_id)
    wait_until(lambda: "expert_offline" in events(assistant, conversation_id))  # no tab of Eva's
    wait_until(
        lambda: assistant.help.chat.conversation(conversation_id).kind.value == "expert_prechat"
    )
    info = assistant.help.chat.conversation(conversation_id)
    assert info.agent_name == "Eva Experte"
    assert open_offer(assistant.messages(conversation_id)) is None
    [conversation] = world.rows(Conversation)
    assert (conversation.kind, conversation.agent_id) == ("expert_prechat", eva.id)
