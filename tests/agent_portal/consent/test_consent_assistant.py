"""Consent between a real assistant (`LiveHelp`) and a real portal: a kind the assistant
cannot serve (a call; a screen view on a computer without a desktop it can share) is
declined at once, without a dialog, and the server records why; a
report the customer allowed can be stopped while the checks run, and then nothing is sent.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from agent_portal.consent.flows import request_consent
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.remote_diagnostics.flows import request_report
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from tests.support.live import wait_until
from tests.support.relay import on_server


def record(world, consent_id: str) -> list[tuple[str, str | None]]:
    rows = world.rows(ConsentEvent, ConsentEvent.consent_id == consent_id, order=ConsentEvent.id)
    return [(row.event, row.detail) for row in rows]


@pytest.mark.parametrize("kind", ["screen_view", "call"])
def test_a_kind_the_assistant_cannot_serve_is_declined_without_asking(
    portal, portal_app, world, assistant_for, kind, monkeypatch
):
    for variable in ("DISPLAY", "WAYLAND_DISPLAY"):  # no desktop: no screen to share
        monkeypatch.delenv(variable, raising=False)
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = assistant_for(key)
    consent = on_server(
        portal_app, request_consent, kind=kind, device_id=device.id, staff_id=anna.id
    )
    wait_until(
        lambda: world.rows(ConsentRequest, ConsentRequest.id == consent.id)[0].status == "refused",
        what="the assistant declines",
    )
    assert record(world, consent.id) == [("asked", None), ("refused", "unsupported")]
    assert erika.consent_asked == []  # no dialog it could not honour
    (declined,) = erika.help.consent.unsupported
    assert (declined.consent_id, declined.kind.value) == (consent.id, kind)
    assert erika.help.consent.grants() == []
    # The agent reads on the customer's page why it was declined at once.
    page = httpx.get(
        f"{portal.url}/portal/customers/{customer.account_number}?lang=en",
        headers={"Cookie": f"portal_session={anna.token}"},
        timeout=30,
    )
    assert "declined automatically: the customer&#39;s assistant cannot do this" in page.text


def test_the_customer_stops_a_report_while_the_checks_run_and_nothing_is_sent(
    portal_app, world, assistant_for
):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    running = threading.Event()

    async def endless_checks(_categories, _include_premium):
        running.set()
        await asyncio.Event().wait()  # the customer stops it before it is done

    erika = assistant_for(key, run_checks=endless_checks)
    request_id = on_server(portal_app, request_report, device_id=device.id, staff_id=anna.id)
    grants = wait_until(erika.help.consent.grants, what="the grant is listed")
    assert [grant.question.consent_id for grant in grants] == [request_id]
    assert grants[0].question.requester_name == "Anna Berger"
    wait_until(running.is_set, what="the checks run")

    assert erika.call(erika.help.consent.revoke(request_id))
    wait_until(
        lambda: world.rows(ConsentRequest, ConsentRequest.id == request_id)[0].status == "revoked",
        what="the server hears it",
    )
    wait_until(lambda: erika.diagnostics_outcomes, what="the assistant's outcome")
    assert erika.diagnostics_outcomes == [(request_id, "revoked")]
    assert erika.help.consent.grants() == []
    assert not erika.call(erika.help.consent.revoke(request_id))  # once is enough
    assert record(world, request_id) == [("asked", None), ("granted", None), ("revoked", None)]
    assert world.count(DiagnosticsReportRecord) == 0
