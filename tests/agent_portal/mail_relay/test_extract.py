"""What a reply e-mail adds to the conversation: the writer's own words, without the quoted
earlier mail that mail programs put below it (in English and German), from plain text or
HTML; and no text, however odd, makes the extraction fail or grow."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_portal.mail_relay.extract import html_to_text, new_text, reply_of


@pytest.mark.parametrize(
    ("mail", "expected"),
    [
        (
            "Yes, that worked.\n\nOn Mon, 1 Dec 2026 at 10:00, Anna <r-x@reply.example.net> "
            "wrote:\n> Please restart the router.\n",
            "Yes, that worked.",
        ),
        (
            "Danke, jetzt geht es!\r\n\r\nAm 01.12.2026 um 10:00 schrieb Anna Berger "
            "<r-x@reply.example.net>:\r\n> Bitte starten Sie den Router neu.\r\n",
            "Danke, jetzt geht es!",
        ),
        (  # Gmail wraps a long header line in two
            "Fine.\n\nOn Mon, 1 Dec 2026 at 10:00, Anna Berger\n<r-x@reply.example.net> wrote:\n"
            "> old\n",
            "Fine.",
        ),
        (
            "Geht.\n\n-----Ursprüngliche Nachricht-----\nVon: Anna\nGesendet: Montag\n\nalt\n",
            "Geht.",
        ),
        ("Works.\n\n-----Original Message-----\nFrom: Anna\n\nold text\n", "Works."),
        ("Outlook.\n\nFrom: Anna Berger\nSent: Monday\nTo: me\n\nold\n", "Outlook."),
        ("Outlook de.\n\nVon: Anna Berger\nGesendet: Montag\nAn: mich\n\nalt\n", "Outlook de."),
        ("First\n> quoted\nsecond\n>> deeper\n", "First\nsecond"),
        ("Thanks\n\n-- \nErika Mustermann\nMusterstraße 1\n", "Thanks"),
        ("  \n\n> only a quote\n", ""),
    ],
)
def test_the_quoted_earlier_mail_is_cut_and_the_new_words_stay(mail, expected):
    assert new_text(mail) == expected


def test_a_line_that_only_mentions_writing_is_kept():
    text = "On Monday I wrote to you already.\nAm Ende schrieb ich: bitte.\nStill here."
    assert new_text(text) == text


def test_html_only_mail_is_read_as_text_without_its_quote_or_scripts():
    html = (
        "<html><head><style>p{}</style></head><body><p>Hello&nbsp;Anna,</p>"
        "<div>the <b>router</b> works again.</div><script>alert(1)</script>"
        "<blockquote>Please restart it.</blockquote></body></html>"
    )
    assert html_to_text(html) == "Hello\xa0Anna,\n\nthe router works again."


def mail_with(plain: str | None = None, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "erika@example.de"
    message["To"] = "r-x@reply.example.net"
    message["Subject"] = "Re: Ihr Gespräch"
    if plain is not None:
        message.set_content(plain)
    if html is not None:
        if plain is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


def test_the_plain_part_wins_over_the_html_one_and_attachments_are_kept():
    message = mail_with("Plain words.\n\nAm Mo. schrieb Anna:\n> alt", "<p>HTML words</p>")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    reply = reply_of(message)
    assert reply.text == "Plain words."
    assert [(a.filename, a.content_type, a.data) for a in reply.attachments] == [
        ("a.pdf", "application/pdf", b"%PDF-1.4")
    ]


def test_an_html_only_mail_gives_its_text():
    assert reply_of(mail_with(html="<p>Nur HTML</p><blockquote>alt</blockquote>")).text == (
        "Nur HTML"
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_makes_the_extraction_fail_or_grow(text):
    result = new_text(text)
    assert len(result) <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_no_html_makes_the_conversion_fail(text):
    html_to_text(text)
    html_to_text(f"<p>{text}</p><blockquote>{text}")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: a@b.c\r\n",
                b"Content-Type: multipart/mixed; boundary=x\r\n",
                b"Content-Type: text/html; charset=nonsense\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"Content-Disposition: attachment; filename*=bad''%%\r\n",
                b"\r\n",
                b"--x\r\n",
                b"--x--\r\n",
                b"> quoted\r\n",
            ]
        )
        | st.binary(max_size=40)
    )
)
def test_no_mail_however_malformed_makes_reading_it_fail(pieces):
    message = email.message_from_bytes(b"".join(pieces), policy=email.policy.default)
    reply = reply_of(message)
    assert isinstance(reply.text, str)
