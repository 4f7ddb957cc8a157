"""The server's record of what the customer was asked and allowed (`GET /api/v1/consents`,
signed with this computer's key): every request to any of the customer's computers, with
who asked, the answer and how it ended. The list of what was shared (`share_history`) is
completed and corrected from it, so it also shows what this assistant never saw (another
computer, a request that ran out while the assistant was closed, an earlier install).

    entries = read_consent_record(server_url, device_key)   # newest first

A server that cannot be reached, refuses, or has no record (an older one: 404) raises
`ConsentRecordUnavailable`; the list then stays as this assistant saw it.
"""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from assistant.premium.client import DeviceSignature
from assistant.tls import portal_tls
from isp_common.consent_wire import CONSENT_HISTORY_PATH, ConsentHistory, ConsentHistoryEntry


class ConsentRecordUnavailable(Exception):
    pass


def read_consent_record(
    server_url: str, device_key, transport=None, *, timeout: float = 10.0
) -> list[ConsentHistoryEntry]:
    with httpx.Client(
        base_url=server_url.rstrip("/"),
        transport=transport,
        verify=portal_tls(),
        timeout=timeout,
        auth=DeviceSignature(device_key),
        headers={"Accept": "application/json"},
    ) as http:
        try:
            response = http.get(CONSENT_HISTORY_PATH)
        except httpx.HTTPError as err:
            raise ConsentRecordUnavailable(str(err)) from err
    if response.status_code != 200:
        raise ConsentRecordUnavailable(f"HTTP {response.status_code}")
    try:
        return ConsentHistory.model_validate_json(response.content).consents
    except ValidationError as err:
        raise ConsentRecordUnavailable("unreadable answer") from err
