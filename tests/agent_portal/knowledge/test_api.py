"""The assistant's knowledge API over real HTTP: published articles for a finding in the
asked language first, search, no login needed, and clear errors for bad parameters."""

from __future__ import annotations

from isp_common.knowledge_wire import KnowledgeArticles
from tests.agent_portal.knowledge.conftest import write_article

WIFI = "internet.wifi.weak_signal"


def test_the_assistant_gets_published_articles_of_a_finding_in_its_language_first(
    http, db_session, author
):
    english = write_article(
        db_session,
        author,
        problem="Weak Wi-Fi in distant rooms",
        symptoms="Video calls drop.",
        solution="1. Move the router.\n2. Add a repeater.",
        tags=["wifi", "repeater"],
        finding_ids=[WIFI, "internet.wifi.band_2_4"],
    )
    german = write_article(
        db_session, author, problem="Schwaches WLAN", language="de", finding_ids=[WIFI]
    )
    write_article(db_session, author, problem="Unfinished", finding_ids=[WIFI], published=False)
    write_article(db_session, author, problem="DNS", finding_ids=["internet.dns.failed"])

    answer = http.get("/api/v1/knowledge/articles", params={"finding": WIFI, "lang": "de"})
    assert answer.status_code == 200
    articles = KnowledgeArticles.model_validate(answer.json()).articles
    assert [a.id for a in articles] == [german.id, english.id]
    wired = articles[1]
    assert wired.problem == "Weak Wi-Fi in distant rooms"
    assert wired.symptoms == "Video calls drop."
    assert wired.solution == "1. Move the router.\n2. Add a repeater."
    assert wired.tags == ["wifi", "repeater"] and wired.language == "en"
    assert wired.finding_ids == ["internet.wifi.band_2_4", WIFI]
    assert wired.updated_at.utcoffset() is not None

    in_english = http.get("/api/v1/knowledge/articles", params={"finding": WIFI, "lang": "en"})
    assert [a["id"] for a in in_english.json()["articles"]] == [english.id, german.id]
    limited = http.get("/api/v1/knowledge/articles", params={"finding": WIFI, "limit": 1})
    assert len(limited.json()["articles"]) == 1
    unknown = http.get("/api/v1/knowledge/articles", params={"finding": "internet.new.thing"})
    assert unknown.json() == {"articles": []}


def test_search_answers_published_articles_for_any_text(http, db_session, author):
    write_article(db_session, author, problem="Mail certificate expired", tags=["mail"])
    write_article(db_session, author, problem="Mail draft", published=False)
    found = http.get("/api/v1/knowledge/search", params={"q": "mail", "lang": "en"})
    assert [a["problem"] for a in found.json()["articles"]] == ["Mail certificate expired"]
    for query in ('"mail', "mail AND (", "-", "*", "NEAR(", "\x00"):
        answer = http.get("/api/v1/knowledge/search", params={"q": query})
        assert answer.status_code == 200, query
        assert answer.json()["articles"] in ([], found.json()["articles"]), query


def test_bad_parameters_get_a_clear_error(http):
    missing = http.get("/api/v1/knowledge/articles")
    assert missing.status_code == 422
    assert "finding: Field required" in missing.json()["detail"]
    malformed = http.get("/api/v1/knowledge/articles", params={"finding": "wifi weak; --"})
    assert malformed.status_code == 422
    assert "finding: String should match pattern" in malformed.json()["detail"]
    french = http.get("/api/v1/knowledge/articles", params={"finding": "a.b", "lang": "fr"})
    assert french.status_code == 422
    assert "lang: Input should be 'de' or 'en'" in french.json()["detail"]
    too_long = http.get("/api/v1/knowledge/search", params={"q": "x" * 201})
    assert too_long.status_code == 422
    assert "q: String should have at most 200 characters" in too_long.json()["detail"]
    too_many = http.get("/api/v1/knowledge/search", params={"q": "wlan", "limit": 51})
    assert "limit: Input should be less than or equal to 50" in too_many.json()["detail"]
