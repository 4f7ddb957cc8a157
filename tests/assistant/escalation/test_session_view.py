"""What the customer reads of a paid session on the live help page, in German and English:
the proposal's terms, billing rule and a sensible maximum before anything starts; the
maximum they type refused in words when it cannot be used; the running meter with its
warning at 80 %; the paused state and the expert's request to resume; the summary and the
tip; and every text of it exists in German with its placeholders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import assistant
from assistant.escalation.paid_sessions import PaidSession
from assistant.escalation.session_view import (
    AmountRefused,
    read_maximum,
    read_raise,
    read_tip,
    session_view,
)
from assistant.i18n import translator
from assistant.ui.live_texts import live_ui_texts
from isp_common.paid_sessions_wire import (
    FeeSplit,
    SessionMeter,
    SessionProposal,
    SessionSummary,
)
from tests.support.translations import placeholders_lost, texts_in, without_german

ASSISTANT = Path(assistant.__file__).parent
ASSISTANT_PO = ASSISTANT / "locale/de/LC_MESSAGES/assistant.po"
NOW = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
SPACE = str.maketrans({"\xa0": " ", "\u202f": " "})


@pytest.fixture(params=["de", "en"])
def language(request):
    token = translator.language.set(request.param)
    yield request.param
    translator.language.reset(token)


def in_language(language: str, function, *args):
    token = translator.language.set(language)
    try:
        return function(*args)
    finally:
        translator.language.reset(token)


def plain(value):
    """The view with CLDR's no-break spaces as the reader sees them."""
    if isinstance(value, str):
        return value.translate(SPACE)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def proposal(**fields) -> SessionProposal:
    values = {
        "session_id": 4,
        "conversation_id": 9,
        "expert_name": "Mira Keller",
        "proposed_by": "expert",
        "terms": "per_minute",
        "price": 150,
        "currency": "EUR",
        "billing_rule": "second",
        "billing_text": "the server's sentence",
        "minimum_maximum": 150,
        "spending_left": None,
        "proposed_at": NOW,
        **fields,
    }
    return SessionProposal(**values)


def meter(**fields) -> SessionMeter:
    values = {
        "session_id": 4,
        "conversation_id": 9,
        "status": "running",
        "terms": "per_minute",
        "price": 150,
        "currency": "EUR",
        "billing_rule": "second",
        "billed_seconds": 300,
        "amount": 750,
        "maximum": 2250,
        "remaining": 1500,
        "as_of": NOW,
        **fields,
    }
    return SessionMeter(**values)


def summary(**fields) -> SessionSummary:
    values = {
        "session_id": 4,
        "conversation_id": 9,
        "expert_name": "Mira Keller",
        "terms": "per_minute",
        "currency": "EUR",
        "billed_seconds": 1210,
        "minutes": 21,
        "amount": 3025,
        "waived": 500,
        "charged": 2525,
        "tip": 0,
        "total": 2525,
        "split": FeeSplit(expert=2020, platform_fee=505, fee_percent="20"),
        "ended_at": NOW,
        **fields,
    }
    return SessionSummary(**values)


def shown(language: str, session: PaidSession, **options) -> dict:
    return plain(in_language(language, lambda: session_view(session, **options)))


def test_a_proposal_shows_the_terms_and_a_quarter_hours_worth_as_maximum():
    session = PaidSession(4, 9, proposal=proposal())
    german, english = shown("de", session), shown("en", session)
    assert german["stage"] == english["stage"] == "proposed"
    assert german["meter"] is None and german["summary"] is None
    assert german["status_text"] == "Mira Keller schlägt eine bezahlte Sitzung vor"
    assert english["status_text"] == "Mira Keller proposes a paid session"
    assert german["terms_text"] == "1,50 € pro Minute"
    assert english["terms_text"] == "€1.50 per minute"
    assert german["proposal"]["billing_text"].startswith("Sekundengenau abgerechnet")
    assert english["proposal"]["billing_text"] == (
        "Counted to the second: you pay only for the time actually used."
    )
    assert (german["proposal"]["default_maximum"], english["proposal"]["default_maximum"]) == (
        "22,50",
        "22.50",
    )
    assert german["proposal"]["maximum_hint"] == "15 Minuten kosten 22,50 €."
    assert english["proposal"]["needs_maximum"] is True
    assert english["proposal"]["note"].startswith("Nothing is charged until you confirm.")

    per_started = PaidSession(4, 9, proposal=proposal(billing_rule="started_minute"))
    assert shown("en", per_started)["proposal"]["billing_text"] == (
        "Counted per started minute: each minute that has begun is paid in full."
    )
    asked = PaidSession(4, 9, proposal=proposal(proposed_by="customer"))
    assert shown("de", asked)["status_text"] == (
        "Sie haben Mira Keller um eine bezahlte Sitzung gebeten"
    )


def test_a_fixed_price_is_confirmed_with_its_price_and_asks_for_no_maximum():
    session = PaidSession(4, 9, proposal=proposal(terms="fixed", price=4500, minimum_maximum=4500))
    english = shown("en", session)
    assert english["terms_text"] == "Fixed price: €45.00"
    assert english["proposal"]["needs_maximum"] is False
    assert english["proposal"]["billing_text"] is None
    assert shown("de", session)["terms_text"] == "Festpreis: 45,00 €"
    assert read_maximum(session.proposal, "") == 4500  # whatever the field says


def test_a_spending_limit_lowers_the_offered_maximum_and_bounds_what_may_be_typed(language):
    offered = proposal(spending_left=1000)
    view = plain(session_view(PaidSession(4, 9, proposal=offered)))
    assert view["proposal"]["default_maximum"] == {"de": "10,00", "en": "10.00"}[language]
    assert (
        view["proposal"]["spending_left_text"]
        == {
            "de": "Von Ihrem monatlichen Ausgabenlimit übrig: 10,00 €",
            "en": "Left of your monthly spending limit: €10.00",
        }[language]
    )
    with pytest.raises(AmountRefused) as refused:
        read_maximum(offered, "20")
    assert (
        plain(refused.value.text())
        == {
            "de": "Bitte geben Sie höchstens 10,00 € ein: So viel ist von Ihrem monatlichen "
            "Ausgabenlimit noch übrig.",
            "en": "Please enter at most €10.00: that is what is left of your monthly "
            "spending limit.",
        }[language]
    )
    assert read_maximum(offered, "10") == 1000


@pytest.mark.parametrize(
    ("typed", "code", "german", "english"),
    [
        ("", "amount_empty", "Bitte geben Sie einen Betrag ein.", "Please enter an amount."),
        (
            "zwanzig",
            "amount_invalid",
            "„zwanzig“ ist kein Betrag. Bitte geben Sie einen Betrag wie 22,50 ein.",
            "“zwanzig” is not an amount. Please enter an amount such as 22.50.",
        ),
        (
            "0",
            "amount_zero",
            "Bitte geben Sie einen Betrag über null ein.",
            "Please enter an amount greater than zero.",
        ),
        (
            "1",
            "amount_too_small",
            "Bitte geben Sie mindestens 1,50 € ein.",
            "Please enter at least €1.50.",
        ),
        (
            "5000",
            "amount_too_large",
            "Bitte geben Sie höchstens 720,00 € ein.",
            "Please enter at most €720.00.",
        ),
        ("-5", "amount_invalid", "„-5“ ist kein Betrag.", "“-5” is not an amount."),
    ],
)
def test_a_maximum_that_cannot_be_used_is_refused_in_words(typed, code, german, english):
    for language, expected in (("de", german), ("en", english)):
        with pytest.raises(AmountRefused) as refused:
            in_language(language, read_maximum, proposal(), typed)
        assert refused.value.code == code
        assert plain(in_language(language, refused.value.text)).startswith(expected)


def test_a_maximum_is_read_in_the_customers_notation():
    assert in_language("de", read_maximum, proposal(), "22,50") == 2250
    assert in_language("en", read_maximum, proposal(), "22.50") == 2250
    assert in_language("de", read_maximum, proposal(), "30 €") == 3000


def test_the_running_meter_shows_amount_time_and_what_is_left_and_warns_at_80_percent():
    session = PaidSession(4, 9, proposal=proposal(), meter=meter(), meter_received=100.0)
    calm = shown("en", session, now=107.5)["meter"]
    assert calm["running"] is True and calm["warning"] is False and calm["warning_text"] is None
    assert (calm["amount_text"], calm["maximum_text"], calm["remaining_text"]) == (
        "€7.50",
        "€22.50",
        "€15.00",
    )
    assert calm["percent"] == 33
    assert calm["seconds"] == 307  # the clock runs on between two meters
    assert shown("en", session)["status_text"] == "Paid session with Mira Keller is running."

    session.meter = meter(billed_seconds=720, amount=1800, remaining=450, warning=True)
    german, english = shown("de", session)["meter"], shown("en", session)["meter"]
    assert german["warning"] and english["warning"]
    assert german["warning_text"] == (
        "80 % Ihres Höchstbetrags sind verbraucht: noch 4,50 €. Erhöhen Sie den "
        "Höchstbetrag, wenn Sie mehr Zeit brauchen."
    )
    assert english["warning_text"] == (
        "80 % of your maximum is used: €4.50 left. Raise the maximum if you need more time."
    )
    assert german["time_text"] == "12 Minuten" and english["time_text"] == "12 minutes"
    assert english["can_raise"] is True


def test_a_pause_says_who_paused_and_the_experts_request_to_resume_is_a_question():
    session = PaidSession(
        4, 9, proposal=proposal(), meter=meter(status="paused", paused_reason="expert")
    )
    paused = shown("de", session)
    assert paused["stage"] == "paused"
    assert paused["status_text"] == (
        "Mira Keller hat die Sitzung pausiert. Während der Pause wird nichts berechnet."
    )
    assert paused["meter"]["resume_requested"] is False
    assert paused["meter"]["seconds"] == 300  # the clock stands still

    session.meter = meter(status="paused", paused_reason="expert", resume_requested=True)
    asked = shown("en", session)["meter"]
    assert asked["resume_requested"] is True
    assert asked["resume_question"] == "Mira Keller would like to go on. Resume the paid session?"
    assert shown("de", session)["meter"]["resume_question"] == (
        "Mira Keller möchte weitermachen. Die bezahlte Sitzung fortsetzen?"
    )

    session.meter = meter(status="paused", paused_reason="maximum", amount=2250, remaining=0)
    assert shown("en", session)["status_text"].startswith("Your maximum has been reached")


def test_raising_the_maximum_stays_within_the_spending_limit():
    session = PaidSession(
        4, 9, proposal=proposal(spending_left=3000), meter=meter(maximum=2250, remaining=1500)
    )
    assert in_language("en", read_raise, session, "7.50") == 750
    with pytest.raises(AmountRefused) as refused:
        in_language("en", read_raise, session, "8")
    assert plain(in_language("en", refused.value.text)).startswith("Please enter at most €7.50")


def test_the_summary_lists_minutes_amount_waiver_tip_and_total_and_offers_a_tip():
    session = PaidSession(4, 9, proposal=proposal(), meter=meter(status="ended"))
    session.summary = summary()
    german, english = shown("de", session), shown("en", session)
    assert german["stage"] == "ended" and german["meter"] is None
    assert german["status_text"] == "Die bezahlte Sitzung mit Mira Keller ist beendet."
    assert [row["value"] for row in german["summary"]["rows"]] == [
        "21 Min.",
        "30,25 €",
        "5,00 €",
        "0,00 €",
        "25,25 €",
    ]
    assert [row["key"] for row in english["summary"]["rows"]] == [
        "time",
        "amount",
        "waived",
        "tip",
        "total",
    ]
    assert english["summary"]["rows"][-1]["value"] == "€25.25"
    assert english["summary"]["tip_open"] is True
    assert in_language("en", read_tip, session.summary, "3") == 300
    with pytest.raises(AmountRefused):
        in_language("en", read_tip, session.summary, "5000")  # a typo, surely

    session.summary = summary(tip=300, total=2825)
    tipped = shown("en", session)["summary"]
    assert tipped["tip_open"] is False
    assert tipped["tip_text"] == "Thank you: your tip of €3.00 goes to Mira Keller in full."
    assert shown("de", session)["summary"]["total_text"] == "28,25 €"


def test_a_declined_proposal_says_nothing_was_charged_and_a_command_on_its_way_is_shown():
    session = PaidSession(
        4, 9, proposal=proposal(), meter=meter(status="cancelled", billed_seconds=0, amount=0)
    )
    assert shown("de", session)["status_text"] == (
        "Die bezahlte Sitzung mit Mira Keller hat nicht begonnen. Es wurde nichts berechnet."
    )
    waiting = shown("en", PaidSession(4, 9, proposal=proposal()), waiting=True)
    assert waiting["waiting_text"] == "Sending … (it goes as soon as the connection is back)"
    assert session_view(None) is None


def test_the_page_labels_of_a_session_read_in_german():
    page = in_language("de", live_ui_texts)
    assert page["session_confirm"] == "Bestätigen und starten"
    assert page["session_maximum"] == "Ihr Höchstbetrag"
    assert page["session_end_question"].startswith("Die bezahlte Sitzung jetzt beenden?")
    assert in_language("en", live_ui_texts)["session_row_waived"] == "Waived by the expert"


def test_every_paid_session_text_has_its_german_with_its_placeholders():
    percent_style = texts_in(
        ASSISTANT / "escalation" / "session_texts.py",
        ASSISTANT / "escalation" / "session_view.py",
        ASSISTANT / "local_api" / "sessions_api.py",
    )
    format_style = texts_in(
        ASSISTANT / "ui" / "live_texts.py", ASSISTANT / "ui" / "templates" / "live"
    )
    assert ("%(expert)s proposes a paid session",) in percent_style
    assert ("Confirm and start",) in format_style
    missing = without_german(percent_style | format_style, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    assert placeholders_lost(percent_style, ASSISTANT_PO) == []
    assert placeholders_lost(format_style, ASSISTANT_PO, style="format") == []
