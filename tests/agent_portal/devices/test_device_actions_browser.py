"""The customer page's device row with every action it can have (online, so "Request
diagnostics"; linked with a key, so "Offline code"; and "Unlink") fits a 1280x800 window in
English and German: each button lies wholly inside the window and inside the table's frame,
so none is cut off or hidden behind a scroll bar."""

from __future__ import annotations

import pytest

from tests.support.browser import audit

pytestmark = pytest.mark.browser

BUTTONS = {
    "en": ("Request diagnostics", "Offline code", "Unlink"),
    "de": ("Diagnose anfordern", "Offline-Code", "Trennen"),
}


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_device_action_is_fully_visible_at_1280_pixels(
    portal, world, assistant_for, staff_page, language
):
    customer = world.customer(name="Jana Mustermann-Oberhauser")
    device, key = world.device(customer, name="Wohnzimmer-PC im Arbeitszimmer")
    assistant_for(key)  # online: the row offers diagnostics
    anna = world.staff("anna.berger", name="Anna Berger")
    page = staff_page(anna)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang={language}")
    row = page.locator("table.devices tbody tr").first
    row.get_by_test_id("device-presence").filter(has_text="Online").wait_for()

    window = {"x": 0, "y": 0, "width": 1280, "height": 10_000}  # the page may scroll down
    frame = page.locator("table.devices").locator("xpath=ancestor::div[1]").bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for name in BUTTONS[language]:
        button = row.get_by_role("button", name=name, exact=False).first
        # The row's actions follow the device's presence, which the live channel may
        # refresh while the page opens: the layout is checked once the button shows.
        button.wait_for(state="visible")
        box = button.bounding_box()
        assert box is not None and box["width"] > 0, name
        assert inside(box, window), f"{name} runs off the window: {box}"
        assert inside(box, frame), f"{name} is cut off by the table's frame: {box} in {frame}"
        # Nothing scrolls inside the frame either: what is inside it is what it shows.
    assert page.evaluate(
        "() => { const f = document.querySelector('table.devices').parentElement;"
        " return f.scrollWidth <= f.clientWidth; }"
    )
    audit(page, f"device-actions-{language}")
