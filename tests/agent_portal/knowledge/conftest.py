"""Fixtures of the knowledge-base tests: a database session beside the portal, staff
members, logged-in HTTP clients per role, and a way to write articles directly."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.orm import Session

from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.auth.models import StaffMember
from agent_portal.knowledge import service
from agent_portal.knowledge.models import Article, ArticleStatus
from tests.agent_portal.auth.accounts import page_error  # noqa: F401 (the knowledge tests import it from here)
from tests.support.portal_data import TLS_CHECK, new_portal_session

ENGLISH = {"Accept-Language": "en"}


def create_staff(db_session: Session, username: str, role: str = "agent") -> StaffMember:
    """A staff member who cannot log in with a password (these tests hand out sessions
    directly), which spares the memory-hard password hashing per test."""
    staff = StaffMember(
        username=username,
        display_name=username.replace(".", " ").title(),
        role=role,
        password_hash="!unusable",
    )
    db_session.add(staff)
    db_session.commit()
    return staff


@pytest.fixture
def author(db_session: Session):
    return create_staff(db_session, "anna.berger", "agent")


def write_article(
    db_session: Session,
    author,
    *,
    problem: str,
    symptoms: str = "",
    solution: str = "Restart the router.",
    tags=(),
    language: str = "en",
    finding_ids=(),
    published: bool = True,
) -> Article:
    article_in = service.validate(
        problem_text=problem,
        symptoms=symptoms,
        solution=solution,
        tags=tags,
        language=language,
        finding_ids=finding_ids,
    )
    status = ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT
    article = service.create(
        db_session=db_session, author=author, article_in=article_in, status=status
    )
    db_session.commit()  # as the route that creates it does
    return article


@dataclass
class StaffClient:
    """A logged-in browser, as far as HTTP goes: the session cookie, and the CSRF token
    the portal puts into this session's forms."""

    http: httpx.Client
    csrf: str
    staff: object

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post_form(self, path: str, data: dict | None = None) -> httpx.Response:
        return self.http.post(path, data={"csrf_token": self.csrf, **(data or {})})


@pytest.fixture
def client_for(portal, db_session):
    """`client_for(role)`: a StaffClient (English pages) of a new staff member of that
    role."""
    clients: list[StaffClient] = []

    def make(role: str) -> StaffClient:
        staff = create_staff(db_session, f"{role}{len(clients) + 1}", role)
        new = new_portal_session(db_session, staff)
        http = httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH)
        http.cookies.set(SESSION_COOKIE, new.token)
        clients.append(StaffClient(http, new.session.csrf_token, staff))
        return clients[-1]

    yield make
    for client in clients:
        client.http.close()


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>', html))
