"""The customer's side of the live-channel tests as the customer has it: the real
`isp-assistant --headless --server URL`, linked by signing in with a password, and its page
open in a browser of its own; the steps a customer takes there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from agent_portal.customers.models import Customer, Device
from agent_portal.devices import credentials
from tests.assistant.support import AssistantProcess
from tests.support.live import World

PASSWORD = "Sommer-Sonne-2025"


def give_password(world: World, customer: Customer) -> None:
    with world.session() as db_session:
        credentials.set_password(
            db_session=db_session,
            customer=db_session.get(Customer, customer.id),
            password=PASSWORD,
            now=datetime.now(UTC),
        )
        db_session.commit()


def sign_in(assistant: AssistantProcess, account: str, device_name: str) -> None:
    """Links the computer as the premium page does (its local API), so live help starts."""
    with assistant.client() as client:
        body = {"account_number": account, "password": PASSWORD, "device_name": device_name}
        response = client.post("/api/premium/sign-in", json=body)
        assert response.status_code == 200, response.text


def linked_device(world: World, customer: Customer) -> Device:
    (device,) = world.rows(Device, Device.customer_id == customer.id)
    return device


@dataclass
class CustomerPage:
    """The assistant's page, on its live help tab."""

    page: object
    assistant: AssistantProcess

    def open(self) -> CustomerPage:
        self.page.goto(self.assistant.url)
        self.page.click(".tab[data-view='help']")
        self.page.wait_for_selector("#view-help:not([hidden])")
        self.wait_connected()
        return self

    def wait_connected(self) -> None:
        self.page.wait_for_selector("#help-connection[data-state='connected']")

    def start_chat(self, topic: str, text: str) -> None:
        self.page.get_by_label("What is it about?").select_option(label=topic)
        self.page.get_by_label("Your question").fill(text)
        self.page.get_by_role("button", name="Start chat").click()
        self.page.wait_for_selector("#help-chat:not([hidden])")

    def write(self, text: str) -> None:
        self.page.fill("#help-text", text)
        self.page.keyboard.press("Enter")

    def wait_for(self, text: str) -> None:
        self.page.locator("#help-messages li[data-seq]").filter(has_text=text).first.wait_for()

    def status(self) -> str:
        return self.page.inner_text("#help-status")

    def texts(self) -> list[str]:
        """Each shown message's words (system messages too), in order."""
        return self.page.locator("#help-messages li[data-seq] .text").all_inner_texts()

    def seqs(self) -> list[int]:
        return self.page.locator("#help-messages li[data-seq]").evaluate_all(
            "items => items.map(item => Number(item.dataset.seq))"
        )
