"""Setting an agent's chat topics: the command `agent-portal set-topics` and the admins'
page; unknown topics are refused naming the known ones, nothing changes."""

from __future__ import annotations

import re

from agent_portal.chat.models import AgentTopic
from tests.support.portal_command import run_portal_command


def topics_of(world, member) -> set[str]:
    return {row.topic for row in world.rows(AgentTopic, AgentTopic.staff_id == member.id)}


def test_set_topics_on_the_command_line(world, settings):
    anna = world.staff("anna.berger", topics=["email"])
    done = run_portal_command(settings, "set-topics", "anna.berger", "internet", "wifi")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "anna.berger takes chats on: internet, wifi."
    assert topics_of(world, anna) == {"internet", "wifi"}

    refused = run_portal_command(settings, "set-topics", "anna.berger", "internet,dancing")
    assert refused.returncode == 2
    assert "Unknown topic: dancing. The topics are: internet, wifi, email" in refused.stderr
    assert "Nothing was changed." in refused.stderr
    assert topics_of(world, anna) == {"internet", "wifi"}

    unknown = run_portal_command(settings, "set-topics", "nobody", "wifi")
    assert unknown.returncode == 1
    assert "There is no staff member 'nobody'." in unknown.stderr


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_admins_set_topics_on_the_page_and_agents_may_not(world, http):
    admin = world.staff("clara.admin", role="admin", name="Clara Admin")
    anna = world.staff("anna.berger", name="Anna Berger")
    http.headers["Cookie"] = f"portal_session={admin.token}"
    page = http.get("/portal/chat-topics?lang=en")
    assert page.status_code == 200
    assert "Anna Berger" in page.text
    saved = http.post(
        f"/portal/chat-topics/{anna.id}",
        data={"csrf_token": csrf(page.text), "topics": ["wifi", "security"]},
    )
    # Post, redirect, get: a reload repeats nothing, and the language can change at once.
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/portal/chat-topics?done=saved&staff={anna.id}"
    shown = http.get(saved.headers["location"])
    assert "Topics of Anna Berger: Wi-Fi, Security." in shown.text
    german = http.get(saved.headers["location"] + "&lang=de")
    assert "Themen von Anna Berger: WLAN, Sicherheit." in german.text
    http.get("/portal/chat-topics?lang=en")
    assert topics_of(world, anna) == {"wifi", "security"}
    bad = http.post(
        f"/portal/chat-topics/{anna.id}",
        data={"csrf_token": csrf(page.text), "topics": ["wifi", "gardening"]},
    )
    assert bad.status_code == 400
    assert "Unknown topic: gardening." in bad.text
    assert topics_of(world, anna) == {"wifi", "security"}

    http.headers["Cookie"] = f"portal_session={anna.token}"
    assert http.get("/portal/chat-topics").status_code == 403
