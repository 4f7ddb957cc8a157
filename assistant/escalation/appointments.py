"""The assistant's client for appointments experts propose: the customer's open proposals
and coming appointments, and the customer's answer (accept, decline) or cancellation. All
requests are signed with this computer's key (`isp_common.appointments_wire`).

    client = AppointmentsClient(server_url, device_key)
    client.upcoming()            # [AppointmentView], soonest first
    client.answer(7, "accept")   # the changed AppointmentView ("decline", "cancel")

A server that cannot be reached, or has no appointments (an older one: 404 on the list),
raises `AppointmentsUnavailable`; a refusal (already answered, not this customer's)
`AppointmentRefused` with the server's code.
"""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from assistant.premium.client import DeviceSignature
from assistant.tls import portal_tls
from isp_common.appointments_wire import APPOINTMENTS_PATH, AppointmentList, AppointmentView

ACTIONS = ("accept", "decline", "cancel")


class AppointmentsUnavailable(Exception):
    pass


class AppointmentRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class AppointmentsClient:
    def __init__(self, base_url: str, device_key, transport=None, *, timeout: float = 10.0):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport,
            verify=portal_tls(),
            timeout=timeout,
            auth=DeviceSignature(device_key),
            headers={"Accept": "application/json"},
        )

    def upcoming(self) -> list[AppointmentView]:
        response = self._send("GET", APPOINTMENTS_PATH)
        try:
            return AppointmentList.model_validate_json(response.content).appointments
        except ValidationError as err:
            raise AppointmentsUnavailable("unreadable answer") from err

    def answer(self, appointment_id: int, action: str) -> AppointmentView:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        response = self._send("POST", f"{APPOINTMENTS_PATH}/{int(appointment_id)}/{action}")
        try:
            return AppointmentView.model_validate_json(response.content)
        except ValidationError as err:
            raise AppointmentsUnavailable("unreadable answer") from err

    def _send(self, method: str, path: str) -> httpx.Response:
        try:
            response = self._http.request(method, path)
        except httpx.HTTPError as err:
            raise AppointmentsUnavailable(str(err)) from err
        if response.status_code in (404, 409) and method == "POST":
            try:
                code = response.json().get("code", "refused")
            except ValueError:
                code = "refused"
            raise AppointmentRefused(code)
        if response.status_code != 200:
            raise AppointmentsUnavailable(f"HTTP {response.status_code}")
        return response

    def close(self) -> None:
        self._http.close()
