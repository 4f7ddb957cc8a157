"""Who of the staff reads a customer's conversation: its own agent (routed to them, taken,
or handed over to them), every agent while it waits in the queue or is a ticket, and
admins as supervisors; nobody else, neither on the conversation page nor over the staff
channel, where the same rule answers every frame that names the conversation."""

from __future__ import annotations

import json
import re

import httpx

from agent_portal.chat.models import Conversation
from agent_portal.database import utcnow
from agent_portal.realtime.models import LiveConnection
from tests.agent_portal.knowledge import chats
from tests.support.live import wait_until

CUSTOMER_NAME = "Erika Mustermann"


def answer(tab, frame: dict) -> list[dict]:
    """What the tab is told in answer to `frame`: the server handles a tab's frames in
    order, so everything it says about `frame` comes before the pong of a ping sent after."""
    tab.frames.clear()
    if frame["type"] != "ping":
        tab.send(frame)
    tab.send({"type": "ping"})
    tab.next("pong")
    said = [f for f in tab.frames if f["type"] not in ("presence", "inbox.changed")]
    tab.frames.clear()
    return said


def told(tab) -> list[dict]:
    """Everything the tab has been told until now."""
    return answer(tab, {"type": "ping"})


def fetch_outcome(tab, conversation_id: int) -> str:
    said = [
        frame
        for frame in answer(tab, {"type": "chat.fetch", "conversation_id": conversation_id})
        if frame["type"] in ("chat.history", "error")
    ]
    kinds = [frame["type"] for frame in said]
    if kinds == ["chat.history"]:
        return "history"
    if kinds == ["error"]:
        return said[0]["code"]
    return f"unexpected {said}"


def page_status(client: httpx.Client, conversation_id: int) -> int:
    return client.get(f"/portal/chats/{conversation_id}").status_code


def test_staff_without_a_relation_to_a_live_chat_read_and_send_nothing_of_it(
    portal, world, assistant_for, staff_client
):
    customer = world.customer(name=CUSTOMER_NAME)
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    anna_tab = staff_client(anna)
    anna_tab.next("presence", kind="staff", id=anna.id)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "My Wi-Fi drops every evening."))
    assert info.agent_name == "Anna Berger"
    ben_tab = staff_client(world.staff("ben.keller", topics=[], name="Ben Keller"))
    expert_tab = staff_client(world.staff("max.experte", role="expert", name="Max Experte"))
    admin_tab = staff_client(world.staff("ada.admin", role="admin", name="Ada Admin"))

    for stranger in (ben_tab, expert_tab):
        refused = answer(stranger, {"type": "chat.fetch", "conversation_id": info.id})
        assert [frame["type"] for frame in refused] == ["error"]
        assert refused[0]["code"] == "forbidden"
        assert refused[0]["conversation_id"] == info.id
        assert CUSTOMER_NAME not in json.dumps(refused)
        typing = answer(
            stranger, {"type": "chat.typing", "conversation_id": info.id, "typing": True}
        )
        assert [(frame["type"], frame["code"]) for frame in typing] == [("error", "forbidden")]
        watch = answer(stranger, {"type": "watch", "conversation_id": info.id})
        assert [(frame["type"], frame["code"]) for frame in watch] == [("error", "forbidden")]

    # Only the agent's typing reaches the customer; nothing of the strangers' did.
    anna_tab.send({"type": "chat.typing", "conversation_id": info.id, "typing": False})
    wait_until(lambda: assistant.typing, what="the agent's typing")
    assert assistant.typing == [(info.id, False)]

    # The customer writes on: the strangers' refused watch brings them nothing.
    assistant.call(assistant.help.send(info.id, "It started last week."))
    anna_tab.next("chat.message", conversation_id=info.id)
    for stranger in (ben_tab, expert_tab):
        assert "It started last week." not in json.dumps(told(stranger))

    for related in (anna_tab, admin_tab):
        said = answer(related, {"type": "chat.fetch", "conversation_id": info.id})
        history = [frame for frame in said if frame["type"] != "chat.message"]
        assert [frame["type"] for frame in history] == ["chat.history"]
        texts = [message["text"] for message in history[0]["messages"]]
        assert "It started last week." in texts
    admin_tab.send({"type": "watch", "conversation_id": info.id})
    told(admin_tab)
    assistant.call(assistant.help.send(info.id, "Are you still there?"))
    arrived = admin_tab.next("chat.message", conversation_id=info.id)
    assert arrived["message"]["text"] == "Are you still there?"


# Whether each staff member sees a conversation in each state: the page and the socket
# must both answer this.
SEES = {
    "Anna's live chat": {"anna": True, "ben": False, "ada": True, "max": False},
    "waiting in the queue": {"anna": True, "ben": True, "ada": True, "max": False},
    "a ticket": {"anna": True, "ben": True, "ada": True, "max": False},
    "Anna's closed chat": {"anna": True, "ben": False, "ada": True, "max": False},
}


def test_the_page_and_the_socket_follow_the_same_relation(world, staff_client, agent_http):
    staff = {
        "anna": world.staff("anna.berger", name="Anna Berger"),
        "ben": world.staff("ben.keller", name="Ben Keller"),
        "ada": world.staff("ada.admin", role="admin", name="Ada Admin"),
        "max": world.staff("max.experte", role="expert", name="Max Experte"),
    }
    # Tabs open first: a live chat whose agent has no tab open goes back to the queue.
    tabs = {name: staff_client(member) for name, member in staff.items()}
    clients = {name: agent_http(member) for name, member in staff.items()}
    wait_until(lambda: world.count(LiveConnection) == len(tabs), what="the tabs")
    now = utcnow()
    with world.session() as db_session:
        owner = chats.customer(db_session, name=CUSTOMER_NAME)
        anna = staff["anna"]
        lines = [("customer", "My printer is offline."), ("agent", "Let us look at it.")]
        conversations = {
            "Anna's live chat": chats.conversation(
                db_session, owner, lines, agent=anna, started=now
            ),
            "waiting in the queue": chats.conversation(
                db_session, owner, lines[:1], status="queued"
            ),
            "a ticket": chats.conversation(db_session, owner, lines[:1], status="ticket"),
            "Anna's closed chat": chats.conversation(
                db_session, owner, lines, agent=anna, status="closed"
            ),
        }
        ids = {state: conversation.id for state, conversation in conversations.items()}

    wrong = []
    for state, conversation_id in ids.items():
        for name, sees in SEES[state].items():
            page = page_status(clients[name], conversation_id)
            socket = fetch_outcome(tabs[name], conversation_id)
            expected = (200, "history") if sees else (403, "forbidden")
            if (page, socket) != expected:
                wrong.append(f"{state} as {name}: page {page}, socket {socket}; want {expected}")
    assert wrong == [], "\n".join(wrong)
    live_chat = ids["Anna's live chat"]
    refused = clients["ben"].get(f"/portal/chats/{live_chat}")
    assert "This chat belongs to a colleague" in refused.text
    assert CUSTOMER_NAME not in refused.text


def csrf_token(client: httpx.Client, conversation_id: int) -> str:
    page = client.get(f"/portal/chats/{conversation_id}")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_a_handover_ends_the_previous_agents_access(
    portal, world, assistant_for, staff_client, agent_http
):
    customer = world.customer(name=CUSTOMER_NAME)
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    ben = world.staff("ben.keller", topics=[], name="Ben Keller")
    anna_tab = staff_client(anna)
    ben_tab = staff_client(ben)
    anna_tab.next("presence", kind="staff", id=anna.id)
    ben_tab.next("presence", kind="staff", id=ben.id)
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "Slow Wi-Fi."))
    assert info.agent_name == "Anna Berger"
    watched = answer(anna_tab, {"type": "watch", "conversation_id": info.id})
    assert [frame for frame in watched if frame["type"] == "error"] == []

    anna_web = agent_http(anna)
    handed = anna_web.post(
        f"/portal/chats/{info.id}/transfer",
        data={
            "csrf_token": csrf_token(anna_web, info.id),
            "target": f"staff:{ben.id}",
            "note": "Please take over.",
        },
    )
    assert handed.status_code == 303
    assert handed.headers["location"] == "/portal/inbox?done=handed_over"  # no longer hers
    inbox = anna_web.get(handed.headers["location"])
    assert "The conversation has been handed over; it is no longer yours." in inbox.text
    with world.session() as db_session:
        assert db_session.get(Conversation, info.id).agent_id == ben.id

    assistant.call(assistant.help.send(info.id, "Ben, my router blinks red."))
    ben_tab.next("chat.message", conversation_id=info.id)
    assert "my router blinks red" not in json.dumps(told(anna_tab))
    assert fetch_outcome(anna_tab, info.id) == "forbidden"
    assert page_status(anna_web, info.id) == 403
    assert fetch_outcome(ben_tab, info.id) == "history"
    assert page_status(agent_http(ben), info.id) == 200
