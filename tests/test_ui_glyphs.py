"""No page of the assistant or the portal draws a picture with a character that needs an
emoji font (a paper clip as "📎"): where that font is missing, the customer or the agent sees
an empty box. Pictures are icons the product ships (SVG files under the static folders)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_SUFFIXES = {".html", ".js", ".css", ".po"}
# Characters from U+1F000 on (emoji, pictographs, the paper clip U+1F4CE) exist only in
# emoji fonts; the few symbols the pages use below that (✓ ✕ ★) are in the common fonts.
EMOJI_FONT_ONLY = 0x1F000


def ui_files() -> list[Path]:
    files = []
    for package in ("assistant", "agent_portal", "isp_common"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in UI_SUFFIXES and "vendor" not in path.parts:
                files.append(path)
    return files


def test_the_scan_sees_both_sides_pages():
    names = {path.relative_to(ROOT).as_posix() for path in ui_files()}
    assert "agent_portal/web/static/live/chat.js" in names
    assert "assistant/ui/static/live.js" in names
    assert "agent_portal/chat/templates/chat/_message.html" in names


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_page_relies_on_an_emoji_font(path):
    text = path.read_text(encoding="utf-8")
    found = sorted({f"U+{ord(c):04X} {c}" for c in text if ord(c) >= EMOJI_FONT_ONLY})
    assert found == [], f"{path.name} draws with characters only emoji fonts have: {found}"


def test_both_sides_ship_the_paper_clip_icon():
    shipped = [
        ROOT / "assistant/ui/static/paperclip.svg",
        ROOT / "agent_portal/web/static/paperclip.svg",
    ]
    for icon in shipped:
        assert icon.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert shipped[0].read_bytes() == shipped[1].read_bytes()  # one icon, the same on both
