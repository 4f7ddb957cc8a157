"""Full-text search on both databases: the best match first, word forms and umlauts, words
found while they are being typed, the web-search syntax people type, and input that would
break a full-text query."""

from __future__ import annotations

import pytest

from agent_portal.knowledge import service
from agent_portal.knowledge.models import ArticleStatus
from tests.agent_portal.knowledge.conftest import write_article

HOSTILE_QUERIES = [
    '"',
    '"wlan',
    "wlan\"'",
    "*",
    "wlan*",
    "AND",
    "wlan AND",
    "OR wlan",
    "NOT wlan",
    "(wlan",
    "wlan))",
    "-",
    "--wlan",
    "NEAR(wlan router, 2)",
    "problem:wlan",
    "^wlan",
    "wlan & | ! <-> router",
    "\\",
    "100% _wlan_",
    "\x00wlan\x1b",
    "wlan " * 100,
    "📶 wlan",
    # PostgreSQL's tsquery syntax
    "a & b | !c ( ) : ' \"",
    "wla:*",
    "wlan:A",
    "'wlan'",
    "''",
    "wlan <2> router",
    "!!wlan",
    "wlan\\",
    ":*",
    "&|!():'<->",
]
# Words to type letter by letter. PostgreSQL indexes them as stems ("verbind", "einstell",
# "configur", "set") that some of the typed beginnings run past ("Verbindu", "sett").
TYPED = {
    "de": ["Verbindung", "Einstellungen", "Zertifikat", "Möglichkeiten"],
    "en": ["configuration", "settings", "WLAN", "connection"],
}


def search(db_session, query: str, **options) -> list[str]:
    found = service.search(db_session=db_session, query=query, **options)
    return [article.problem for article in found]


def test_a_match_in_the_problem_beats_a_mention_in_the_solution(db_session, author):
    write_article(
        db_session,
        author,
        problem="E-Mails kommen doppelt an",
        solution="Im Drucker-Menü nichts ändern. Im Mailprogramm das Konto nur einmal anlegen.",
        language="de",
    )
    write_article(db_session, author, problem="Der Drucker druckt nicht", language="de")
    write_article(
        db_session,
        author,
        problem="The printer prints blank pages",
        solution="Replace the cartridge.",
    )
    write_article(
        db_session,
        author,
        problem="Scanning fails",
        symptoms="The scanner is not found.",
        solution="Restart the printer and the scanner, then update the printer driver.",
    )
    assert search(db_session, "Drucker") == [
        "Der Drucker druckt nicht",
        "E-Mails kommen doppelt an",
    ]
    assert search(db_session, "printer") == ["The printer prints blank pages", "Scanning fails"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zertifikate", "Das Zertifikat des Mailservers ist abgelaufen"),
        ("mailserver", "Das Zertifikat des Mailservers ist abgelaufen"),
        ("Störungen", "Störung im Übertragungsweg"),
        ("ÜBERTRAGUNGSWEG", "Störung im Übertragungsweg"),
        ("übertragungsweg störung", "Störung im Übertragungsweg"),
        ("Updates", "An update is waiting"),
    ],
)
def test_word_forms_case_and_umlauts_match(db_session, author, query, expected):
    write_article(
        db_session, author, problem="Das Zertifikat des Mailservers ist abgelaufen", language="de"
    )
    write_article(db_session, author, problem="Störung im Übertragungsweg", language="de")
    write_article(db_session, author, problem="An update is waiting", language="en")
    assert search(db_session, query) == [expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("WLA", "WLAN drops in the evening"),
        ("Zertifi", "Das Zertifikat des Mailservers ist abgelaufen"),
        ("mailserv", "Das Zertifikat des Mailservers ist abgelaufen"),
        ("Übertr", "Störung im Übertragungsweg"),
        ("Verbindu", "Die Verbindung bricht nachts ab"),
        ("evening configurati", "WLAN drops in the evening"),
        ("drops -WLA", "Router drops its configuration"),
    ],
)
def test_a_word_is_found_while_it_is_being_typed(db_session, author, query, expected):
    write_article(
        db_session, author, problem="Das Zertifikat des Mailservers ist abgelaufen", language="de"
    )
    write_article(db_session, author, problem="Störung im Übertragungsweg", language="de")
    write_article(db_session, author, problem="Die Verbindung bricht nachts ab", language="de")
    write_article(
        db_session, author, problem="WLAN drops in the evening", solution="Check the configuration."
    )
    write_article(db_session, author, problem="Router drops its configuration")
    assert search(db_session, query) == [expected]


def test_typing_a_word_letter_by_letter_keeps_finding_its_article(db_session, author):
    for language, words in TYPED.items():
        for word in words:
            write_article(db_session, author, problem=f"{word} (article)", language=language)
    for word in [*TYPED["de"], *TYPED["en"]]:
        for end in range(3, len(word) + 1):
            typed = word[:end]
            if typed.lower() == "ein":  # a German stop word, found nowhere as it stands
                continue
            assert f"{word} (article)" in search(db_session, typed), typed


def test_a_finished_word_is_not_cut_back_to_find_more(db_session, author):
    write_article(db_session, author, problem="Wireless network is slow")
    write_article(db_session, author, problem="A wire is loose")
    assert search(db_session, "wireless") == ["Wireless network is slow"]
    assert search(db_session, "wire") == ["A wire is loose", "Wireless network is slow"]


def test_phrases_exclusions_and_alternatives(db_session, author):
    for problem in ("Router restarts at night", "Repeater and router lose contact", "Scanner"):
        write_article(db_session, author, problem=problem, solution="Call the hotline.")
    assert search(db_session, '"router restarts"') == ["Router restarts at night"]
    assert search(db_session, "router -repeater") == ["Router restarts at night"]
    assert sorted(search(db_session, "scanner or repeater")) == [
        "Repeater and router lose contact",
        "Scanner",
    ]
    assert search(db_session, "-router") == []  # nothing asked for, nothing found
    assert search(db_session, "   ") == []


def test_drafts_are_found_only_when_asked_for_and_edits_are_found_at_once(db_session, author):
    draft = write_article(db_session, author, problem="Modem blinks red", published=False)
    assert search(db_session, "modem") == []
    assert search(db_session, "modem", status=None) == ["Modem blinks red"]
    assert search(db_session, "modem", status=ArticleStatus.DRAFT) == ["Modem blinks red"]

    changed = service.validate(problem_text="Router light blinks red", language="en")
    service.update(db_session=db_session, article_id=draft.id, article_in=changed)
    assert search(db_session, "modem", status=None) == []
    assert search(db_session, "router", status=None) == ["Router light blinks red"]


def test_articles_in_the_readers_language_come_first(db_session, author):
    write_article(db_session, author, problem="Firewall off", language="en")
    write_article(db_session, author, problem="Firewall aus", language="de")
    assert search(db_session, "firewall", language_first="de") == ["Firewall aus", "Firewall off"]
    assert search(db_session, "firewall", language_first="en") == ["Firewall off", "Firewall aus"]


def test_input_that_would_break_a_full_text_query_gives_a_list(db_session, author):
    write_article(db_session, author, problem="WLAN drops in the evening", tags=["wlan", "router"])
    for query in HOSTILE_QUERIES:
        found = search(db_session, query)
        assert found in ([], ["WLAN drops in the evening"]), query
    # Where the words are plain, the stray syntax around them does not hide the article.
    for query in (
        '"wlan',
        "wlan*",
        "(wlan",
        "wlan))",
        "\x00wlan\x1b",
        "📶 wlan",
        "wla:*",
        "'wlan'",
    ):
        assert search(db_session, query) == ["WLAN drops in the evening"], query
    for query in ("&|!():'<->", ":*", "''"):  # only punctuation: nothing asked for
        assert search(db_session, query) == [], query


def test_search_over_http_answers_any_typed_text(http, db_session, author):
    write_article(db_session, author, problem="WLAN drops in the evening")
    for query in ("wla:*", "a & b | !c ( ) : ' \"", "&|!():'", "wlan <-> !"):
        answer = http.get("/api/v1/knowledge/search", params={"q": query})
        assert answer.status_code == 200, query
        problems = [article["problem"] for article in answer.json()["articles"]]
        assert problems in ([], ["WLAN drops in the evening"]), query
    typed = http.get("/api/v1/knowledge/search", params={"q": "WLA"})
    assert [article["problem"] for article in typed.json()["articles"]] == [
        "WLAN drops in the evening"
    ]
