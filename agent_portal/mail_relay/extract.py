"""What a reply e-mail adds to the conversation: its new text, without the quoted mail
below it, and its attachments.

The text is the first plain-text part; a mail with only HTML is turned into text (block
elements become line breaks, quoted `<blockquote>`s and scripts are left out). The quote
of the earlier mail is cut at the first line that mail programs put above it ("On … wrote:",
"Am … schrieb …:", "-----Original Message-----", an Outlook header block, …), lines
starting with ">" are dropped, and so is a signature below "-- ". What is left is never
longer than what came in (`new_text`), whatever the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser

# A line that begins the quoted earlier mail: everything from it on is cut.
_QUOTE_HEADERS = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{0,300}\bschrieb\b.{0,300}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*(Forwarded message|Weitergeleitete Nachricht)\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{20,}\s*$"),  # Outlook's rule above its header block
]
# Outlook's header block without a rule: "From: …" then "Sent: …" (or in German).
_HEADER_BLOCK = [
    (re.compile(r"^\s*From:\s", re.I), re.compile(r"^\s*(Sent|Date):\s", re.I)),
    (re.compile(r"^\s*Von:\s", re.I), re.compile(r"^\s*(Gesendet|Datum):\s", re.I)),
]
_SIGNATURE = "-- "


def new_text(text: str) -> str:
    """The reply's own words: the quoted mail below it, quoted lines and the signature
    left out, surrounding blank lines stripped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line == _SIGNATURE:
            break
        if _starts_quote(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(pattern.match(line) for pattern in _QUOTE_HEADERS):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    # "On Mon, 1 Dec 2026 at 10:00, Anna Berger" / "<r-…@reply.example> wrote:" on two lines
    joined = f"{line} {following}"
    if following and any(pattern.match(joined) for pattern in _QUOTE_HEADERS[:2]):
        return bool(re.match(r"^\s*(On|Am)\b", line, re.I))
    return any(first.match(line) and second.match(following) for first, second in _HEADER_BLOCK)


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr"}
    SKIPPED = {"script", "style", "head", "blockquote", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    text: str
    attachments: list[MailAttachment]


def reply_of(message: EmailMessage) -> Reply:
    """The new text and the attachments of a received mail."""
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = _text_content(body)
        text = html_to_text(content) if body.get_content_type() == "text/html" else content
    attachments = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        attachments.append(
            MailAttachment(
                filename=part.get_filename() or "attachment",
                content_type=part.get_content_type()[:100],
                data=data,
            )
        )
    return Reply(text=new_text(text), attachments=attachments)


def _text_content(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")
