"""The public status badge of an expert, for other sites (a forum, the ISP's help pages):
the display name, the categories and the status, as JSON and as an SVG image. Nothing
else of the profile leaves: no price, no texts, no rating.

The SVG is drawn from a fixed template into which only escaped text goes, so a name like
`<script>` is shown as those letters and nothing in the image can run. Its width follows
the text (an estimate per character: the badge is never cut, a little air is fine).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from agent_portal.expert_search.presence import ExpertStatus
from agent_portal.i18n import LOCALE_DIR
from isp_common.i18n import N_, translations

NAME_MAX = 40
COLOURS = {
    ExpertStatus.online: "#2e7d32",
    ExpertStatus.away: "#b26a00",
    ExpertStatus.busy: "#c62828",
    ExpertStatus.offline: "#616161",
    ExpertStatus.unknown: "#616161",
}
LABELS = {
    ExpertStatus.online: N_("Online"),
    ExpertStatus.away: N_("Away"),
    ExpertStatus.busy: N_("Busy"),
    ExpertStatus.offline: N_("Offline"),
    ExpertStatus.unknown: N_("Unknown"),
}
UNKNOWN_NAME = N_("Expert")
_CHAR_WIDTH = 7  # px per character of 11 px Verdana, rounded up
_PADDING = 10


def translated(text: str, language: str) -> str:
    return translations(LOCALE_DIR, "portal", language).gettext(text)


@dataclass(frozen=True)
class BadgeFacts:
    """All a badge may show. `display_name` None: no findable expert."""

    display_name: str | None
    categories: tuple[str, ...]
    status: ExpertStatus


def _shortened(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "…"


def svg(facts: BadgeFacts, language: str) -> str:
    name = _shortened(facts.display_name or translated(UNKNOWN_NAME, language))
    label = translated(LABELS[facts.status], language)
    left = len(name) * _CHAR_WIDTH + 2 * _PADDING
    right = len(label) * _CHAR_WIDTH + 2 * _PADDING
    width = left + right
    title = escape(f"{name}: {label}")
    name_text, label_text = escape(name), escape(label)
    colour = COLOURS[facts.status]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{title}</title>"
        f'<rect width="{left}" height="20" rx="3" fill="#424242"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{_PADDING}" y="14">{name_text}</text>'
        f'<text x="{left + _PADDING}" y="14">{label_text}</text>'
        "</g></svg>"
    )


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


SVG_TYPE = "image/svg+xml"
