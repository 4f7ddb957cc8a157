"""Remote diagnostics on the device channel, frame by frame: a report is taken only for a
request the customer allowed, only once, and only when it is a diagnostics report; every
refusal says why, and nothing is stored for it."""

from __future__ import annotations

import json
import re

import httpx

from agent_portal.consent.models import ConsentRequest
from agent_portal.database import utcnow
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from agent_portal.remote_diagnostics.service import report_status
from tests.agent_portal.realtime.test_device_channel import channel, hello_with
from tests.support.portal_data import TLS_CHECK


def frame_of(socket, frame_type: str) -> dict:
    while True:
        frame = json.loads(socket.recv(timeout=10))
        if frame["type"] == frame_type:
            return frame


def ask(portal, member, customer, device) -> None:
    with httpx.Client(
        verify=TLS_CHECK,
        base_url=portal.url,
        headers={"Cookie": f"portal_session={member.token}"},
        timeout=30,
    ) as web:
        page = web.get(f"/portal/customers/{customer.account_number}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        asked = web.post(
            f"/portal/customers/{customer.account_number}/devices/{device.id}/diagnostics",
            data={"csrf_token": token},
        )
        assert asked.status_code == 303


def test_a_report_is_taken_only_when_allowed_once_and_well_formed(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    with channel(portal) as socket:
        assert hello_with(socket, key)["type"] == "welcome"
        ask(portal, anna, customer, device)
        request = frame_of(socket, "consent.request")
        assert (request["kind"], request["requester_name"]) == ("report", "Anna Berger")
        assert request["requester_role"] == "agent"
        assert request["scope"]["categories"] == ["internet", "email", "computer", "security"]
        rid = request["consent_id"]

        socket.send(json.dumps({"type": "diagnostics.report", "request_id": rid, "report": {}}))
        early = frame_of(socket, "error")
        assert (early["code"], early["request_id"]) == ("request_pending", rid)

        socket.send(json.dumps({"type": "consent.answer", "consent_id": rid, "granted": True}))
        socket.send(
            json.dumps({"type": "diagnostics.report", "request_id": rid, "report": {"x": 1}})
        )
        garbled = frame_of(socket, "error")
        assert garbled["code"] == "report_invalid"
        # In the customer's language (German here): the assistant shows its own text by code.
        assert garbled["message"].startswith("Der Bericht ist nicht lesbar: 4 Probleme, das erste:")
        assert world.count(DiagnosticsReportRecord) == 0

        report = minimal_report()
        socket.send(json.dumps({"type": "diagnostics.report", "request_id": rid, "report": report}))
        assert frame_of(socket, "diagnostics.received")["request_id"] == rid
        socket.send(json.dumps({"type": "diagnostics.report", "request_id": rid, "report": report}))
        again = frame_of(socket, "error")
        assert again["code"] == "request_completed"
        socket.send(json.dumps({"type": "consent.answer", "consent_id": "nope", "granted": 1}))
        assert frame_of(socket, "error")["code"] == "not_found"
    (record,) = world.rows(DiagnosticsReportRecord)
    with world.session() as db_session:
        stored = json.loads(db_session.get(DiagnosticsReportRecord, record.id).report_json)
    assert stored == report  # kept exactly as sent
    (request,) = world.rows(ConsentRequest)
    assert (request.kind, report_status(request, utcnow())) == ("report", "completed")


def minimal_report() -> dict:
    return {
        "schema_version": 1,
        "report_id": "6f1c4a3e-0d7b-4a53-9d4f-2b5c8f0e9a11",
        "language": "en",
        "started_at": "2026-01-05T10:00:00Z",
        "finished_at": "2026-01-05T10:00:02Z",
        "host": {
            "hostname": "wohnzimmer-pc",
            "os_family": "linux",
            "os_name": "Debian GNU/Linux 12",
            "os_version": "6.1",
            "machine": "x86_64",
            "assistant_version": "0.1.0",
        },
        "checks": [
            {
                "check_id": "computer.uptime",
                "category": "computer",
                "premium": True,
                "title": "Last restart",
                "status": "completed",
                "duration_ms": 1.5,
                "facts": {
                    "kind": "uptime",
                    "boot_time": "2026-01-05T08:00:00Z",
                    "uptime_seconds": 7200.0,
                },
                "findings": [
                    {
                        "id": "computer.uptime.ok",
                        "severity": "ok",
                        "title": "Recently restarted",
                        "explanation": "The computer was last started two hours ago.",
                    }
                ],
            }
        ],
    }
