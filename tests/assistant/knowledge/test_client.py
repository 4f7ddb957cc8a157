"""The assistant's knowledge client against the real portal on loopback: published articles
of a finding in the customer's language, never drafts, kept for a while, and a server that
is missing, down, slow or strange is an outcome, not an exception."""

from __future__ import annotations

import socket

import httpx
import pytest

from assistant.knowledge import KnowledgeClient, KnowledgeStatus, SolutionPart, solution_parts
from tests.agent_portal.knowledge.conftest import write_article
from tests.support.premium_portal import unreachable_url

ROUTER = "internet.gateway.no_answer"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingTransport(httpx.HTTPTransport):
    """The real network, counting the requests that go out."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def network() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
def knowledge(clock, network):
    client = KnowledgeClient(transport=network, clock=clock)
    yield client
    client.close()


def test_published_articles_come_in_the_customers_language_and_drafts_never(
    portal, db_session, author, knowledge
):
    english = write_article(
        db_session,
        author,
        problem="The router does not answer",
        symptoms="No page loads.\nThe router's lights are off.",
        solution="1. Switch the router on.\n2. Restart it.",
        finding_ids=[ROUTER],
    )
    german = write_article(
        db_session,
        author,
        problem="Der Router antwortet nicht",
        language="de",
        finding_ids=[ROUTER],
    )
    write_article(db_session, author, problem="Draft", finding_ids=[ROUTER], published=False)
    write_article(db_session, author, problem="DNS", finding_ids=["internet.dns.failed"])

    found = knowledge.for_finding(portal.url, ROUTER, "en")
    assert found.status is KnowledgeStatus.found
    assert [article.id for article in found.articles] == [english.id]
    assert found.articles[0].symptoms == "No page loads.\nThe router's lights are off."
    in_german = knowledge.for_finding(portal.url + "/", ROUTER, "de")
    assert [article.id for article in in_german.articles] == [german.id]

    nothing = knowledge.for_finding(portal.url, "internet.modem.no_answer", "en")
    assert nothing.status is KnowledgeStatus.found and nothing.articles == ()


def test_without_an_article_in_the_language_the_other_language_helps(
    portal, db_session, author, knowledge
):
    german = write_article(
        db_session, author, problem="Router antwortet nicht", language="de", finding_ids=[ROUTER]
    )
    found = knowledge.for_finding(portal.url, ROUTER, "en")
    assert [(article.id, article.language) for article in found.articles] == [(german.id, "de")]


def test_answers_are_kept_for_a_few_minutes(portal, db_session, author, knowledge, clock, network):
    assert knowledge.for_finding(portal.url, ROUTER, "en").articles == ()
    write_article(db_session, author, problem="Published a moment later", finding_ids=[ROUTER])

    clock.now += 60
    assert knowledge.for_finding(portal.url, ROUTER, "en").articles == ()
    assert network.requests == 1
    knowledge.for_finding(portal.url, ROUTER, "de")  # another language is another question
    assert network.requests == 2

    clock.now += 300
    later = knowledge.for_finding(portal.url, ROUTER, "en")
    assert [article.problem for article in later.articles] == ["Published a moment later"]
    assert network.requests == 3


def test_no_server_means_no_articles_and_asks_nobody(knowledge, network):
    for server_url in (None, ""):
        found = knowledge.for_finding(server_url, ROUTER, "en")
        assert found.status is KnowledgeStatus.no_server and found.articles == ()
    assert network.requests == 0


def test_a_server_that_is_down_is_asked_again_only_after_a_pause(knowledge, clock, network):
    server_url = unreachable_url()
    assert knowledge.for_finding(server_url, ROUTER, "en").status is KnowledgeStatus.unreachable
    clock.now += 10
    assert knowledge.for_finding(server_url, ROUTER, "en").status is KnowledgeStatus.unreachable
    assert network.requests == 1
    clock.now += 30
    knowledge.for_finding(server_url, ROUTER, "en")
    assert network.requests == 2


def test_a_server_that_refuses_or_is_too_slow_is_unreachable(portal):
    # A server that takes the connection and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        slow = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with KnowledgeClient(timeout=0.5) as knowledge:
            assert knowledge.for_finding(slow, ROUTER, "en").status is KnowledgeStatus.unreachable
            # Not the knowledge base: the portal answers 404.
            wrong = knowledge.for_finding(portal.url + "/nothing", ROUTER, "en")
            assert wrong.status is KnowledgeStatus.unreachable


def test_an_answer_that_is_not_a_list_of_articles_is_unreachable():
    nonsense = httpx.MockTransport(
        lambda request: httpx.Response(200, json={"articles": [{"id": "seven"}]})
    )
    with KnowledgeClient(transport=nonsense) as knowledge:
        found = knowledge.for_finding("https://portal.example-isp.de", ROUTER, "en")
    assert found.status is KnowledgeStatus.unreachable


@pytest.mark.parametrize(
    "garbage", ["", "router", "Internet.Gateway", "internet.gateway.", "a.b;--", "a." + "b" * 99]
)
def test_something_that_is_not_a_finding_id_is_refused(garbage, knowledge, network):
    with pytest.raises(ValueError, match="not a finding id"):
        knowledge.for_finding("https://portal.example-isp.de", garbage, "en")
    assert network.requests == 0


def test_a_solution_reads_as_steps_and_notes_in_order():
    starter = "1. Unplug the router.\n2. Wait 30 seconds.\n\nStill dark? Call us."
    assert solution_parts(starter) == [
        SolutionPart(steps=("Unplug the router.", "Wait 30 seconds.")),
        SolutionPart(text="Still dark? Call us."),
    ]
    unnumbered = "Unplug the router.\n  Plug it in again.  \n"
    assert solution_parts(unnumbered) == [
        SolutionPart(steps=("Unplug the router.", "Plug it in again."))
    ]
    assert solution_parts("- Restart it\n- Wait") == [SolutionPart(steps=("Restart it", "Wait"))]
    assert solution_parts("Restart the router.") == [SolutionPart(text="Restart the router.")]
    assert solution_parts("Since 2024. Restart it.\n1. Restart") == [
        SolutionPart(text="Since 2024. Restart it."),
        SolutionPart(steps=("Restart",)),
    ]
    assert solution_parts("") == []
