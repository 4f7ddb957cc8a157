"""The paper clip beside "Attach a file" in the assistant's composer, beside "Send a file" in
the portal's, and before every file in the portal's conversation (drawn by the server and
added live by the page's script) is the icon the product ships, not a character of a font
the computer may lack; in English and German."""

from __future__ import annotations

import pytest

from agent_portal.chat.models import Conversation
from agent_portal.realtime.models import LiveConnection
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser

ICON = "/static/paperclip.svg"


def assert_icon(page, selector: str) -> None:
    """Every element matching `selector` shows the shipped paper clip, at a visible size."""
    icons = page.locator(selector)
    assert icons.count() > 0, f"no icon at {selector}"
    for icon in icons.all():
        drawn = icon.evaluate(
            """(node) => { const style = getComputedStyle(node);
                 const box = node.getBoundingClientRect();
                 return { mask: style.maskImage || style.webkitMaskImage,
                          width: box.width, height: box.height,
                          hidden: node.getAttribute("aria-hidden") }; }"""
        )
        assert ICON in drawn["mask"], drawn
        assert drawn["width"] >= 10 and drawn["height"] >= 10, drawn
        assert drawn["hidden"] == "true"  # a picture beside words, not read out
    answer = page.request.get(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + ICON)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize("language", ["en", "de"])
def test_both_composers_and_the_files_show_the_shipped_paper_clip(
    portal, world, customer_assistant, customer_page, staff_page, tmp_path, language
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["computer"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang={language}")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))
    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Computer", "An error message pops up.")
    if language != "en":
        choose_language(erika.page, language)
        erika.wait_connected()
    erika.page.wait_for_selector("#help-chat:not([hidden])")
    assert_icon(erika.page, "#help-attach .icon-attach")
    audit(erika.page, f"assistant-composer-{language}")

    first = tmp_path / "error message.png"
    first.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    erika.page.set_input_files("#help-file", str(first))
    (conversation,) = world.rows(Conversation)
    page.goto(f"{portal.url}/portal/chats/{conversation.id}?lang={language}")
    page.locator("#messages .attachment").filter(has_text="error message.png").wait_for()
    assert_icon(page, "#messages .attachment .icon-attach")  # drawn by the server
    assert_icon(page, "label[for='attachment-file'] .icon-attach")

    second = tmp_path / "log.txt"
    second.write_bytes(b"failed at 09:12")
    erika.page.set_input_files("#help-file", str(second))
    page.locator("#messages .attachment").filter(has_text="log.txt").wait_for()
    assert_icon(page, "#messages .attachment .icon-attach")  # the live one, from the script
    assert page.locator("#messages .attachment .icon-attach").count() == 2
    assert "\U0001f4ce" not in page.inner_text("#messages")
    audit(page, f"portal-conversation-{language}")
