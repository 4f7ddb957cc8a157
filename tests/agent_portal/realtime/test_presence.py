"""Presence as colleagues see it: online while a portal tab is open and used, away after the
idle time, online again on input, offline when the last tab closes; several tabs count as
one person."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.realtime import presence
from agent_portal.realtime.jobs import PresenceChanges
from tests.support.live import wait_until
from tests.support.relay import on_server


def statuses(http, member) -> dict[str, str]:
    response = http.get("/portal/presence", headers={"Cookie": f"portal_session={member.token}"})
    assert response.status_code == 200
    return {entry["name"]: entry["status"] for entry in response.json()["staff"]}


@pytest.mark.portal_settings(staff_away_minutes=0.02)  # 1.2 seconds idle is "away" here
def test_idle_turns_away_input_turns_online_and_the_last_tab_turns_offline(
    portal, world, staff_client, http
):
    anna = world.staff("anna.berger", name="Anna Berger")
    ben = world.staff("ben.keller", name="Ben Keller")
    watcher = staff_client(ben)
    first_tab = staff_client(anna)
    second_tab = staff_client(anna)
    # The sweep that notices idleness and closed tabs runs every few seconds, and later on
    # a loaded machine: each change is awaited as long as a person would wait for it.
    assert watcher.next("presence", kind="staff", id=anna.id, timeout=20)["status"] == "online"
    assert watcher.next("presence", kind="staff", id=anna.id, status="away", timeout=20)
    assert statuses(http, ben)["Anna Berger"] == "away"

    first_tab.send({"type": "activity"})  # Anna touches the keyboard in a visible tab
    assert watcher.next("presence", kind="staff", id=anna.id, status="online", timeout=20)
    first_tab.close()
    assert statuses(http, ben)["Anna Berger"] in ("online", "away")  # one tab is still open
    second_tab.close()
    assert watcher.next("presence", kind="staff", id=anna.id, status="offline", timeout=20)
    wait_until(lambda: statuses(http, ben)["Anna Berger"] == "offline")


def test_the_staff_channel_refuses_strangers_and_foreign_pages(portal, world):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    anna = world.staff("anna.berger")
    url = portal.url.replace("http://", "ws://") + "/ws/staff"
    with pytest.raises(InvalidStatus) as anonymous:
        connect(url, additional_headers={"Origin": portal.url}).close()
    assert anonymous.value.response.status_code == 403
    with pytest.raises(InvalidStatus) as foreign:
        connect(
            url,
            additional_headers={
                "Origin": "https://evil.example",
                "Cookie": f"portal_session={anna.token}",
            },
        ).close()
    assert foreign.value.response.status_code == 403


@pytest.mark.portal_settings(staff_away_minutes=0.02)
def test_someone_already_idle_when_the_sweep_first_sees_them_is_announced_away(
    portal, portal_app, world, staff_client
):
    """A late round of the presence job (a busy machine) first sees a colleague after
    their idle time ran out: their tab's opening announced them online, so the job says
    away, instead of taking "away" as what everyone already knew."""
    anna = world.staff("anna.berger", name="Anna Berger")
    ben = world.staff("ben.keller", name="Ben Keller")
    watcher = staff_client(ben)
    assert watcher.next("presence", kind="staff", id=ben.id, timeout=20)["status"] == "online"
    job = PresenceChanges()

    async def round_(live):
        await job(live)

    on_server(portal_app, round_)  # the job's first round: it only looks
    live = portal_app.state.live
    with world.session() as db_session:  # Anna's tab, opened 5 s ago: idle already
        presence.open_connection(
            db_session=db_session,
            connection_id="anna-tab",
            worker_id=live.worker_id,
            staff_id=anna.id,
            now=live.now() - timedelta(seconds=5),
        )
        db_session.commit()
    on_server(portal_app, round_)
    assert watcher.next("presence", kind="staff", id=anna.id, status="away", timeout=10)
