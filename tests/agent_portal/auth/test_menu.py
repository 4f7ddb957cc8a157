"""The portal's main menu offers each role only the pages it may open: every link in it
answers 200 for that role, over real HTTP with real logins, and each page its role may
open and the menu lists for anyone is there. Who sees a link is read from the route's own
access rule, so the menu and the routes cannot disagree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import APIRouter

from agent_portal.app import create_app
from agent_portal.auth.access import access_rule, api_routes
from agent_portal.auth.deps import require_staff
from agent_portal.web import navigation
from tests.agent_portal.auth.accounts import PASSWORD, ROLES
from tests.support.browser import audit
from tests.support.translations import texts_in, without_german

PORTAL_PO = Path(navigation.__file__).parents[1] / "locale" / "de" / "LC_MESSAGES" / "portal.po"

MENU = re.compile(r'<nav aria-label="[^"]+">(.*?)</nav>', re.S)


def menu_links(html: str) -> list[str]:
    match = MENU.search(html)
    assert match, "the page has no main menu"
    return re.findall(r'href="([^"]+)"', match.group(1))


@pytest.mark.parametrize("role", ROLES)
def test_every_link_in_a_roles_menu_opens_for_that_role(client_for, role):
    client = client_for(role)
    start = client.get("/", follow_redirects=True)
    assert start.status_code == 200
    links = menu_links(start.text)
    assert links, f"the {role}'s menu is empty"
    for link in links:
        answer = client.get(link)
        assert answer.status_code == 200, f"{role}: {link} answers {answer.status_code}"
        assert menu_links(answer.text) == links  # the same menu on every page


def test_each_role_sees_what_it_may_open_and_nothing_else(client_for):
    seen = {
        role: menu_links(client_for(role).get("/", follow_redirects=True).text) for role in ROLES
    }
    assert "/portal/customers" not in seen["expert"]  # an expert has no customers
    assert "/portal/expert" in seen["expert"]
    assert "/portal/admin" in seen["admin"] and "/portal/admin" not in seen["agent"]
    assert all("/portal/knowledge" in links for links in seen.values())


def test_the_menu_follows_the_routes_rules_not_a_list_of_its_own(settings):
    app = create_app(settings)
    try:
        for item in navigation.MENU:
            [route] = [
                r for r in api_routes(app.routes) if r.path == item.path and "GET" in r.methods
            ]
            rule = access_rule(route)
            for role in ROLES:
                shown = item in navigation.menu_for(app, role)
                assert shown == rule.allows_role(role), (item.path, role)
    finally:
        app.state.engine.dispose()


def test_a_menu_link_to_a_page_that_does_not_exist_fails_loudly(settings, monkeypatch):
    app = create_app(settings)
    try:
        monkeypatch.setattr(
            navigation, "MENU", (*navigation.MENU, navigation.MenuItem("/portal/nowhere", "x"))
        )
        with pytest.raises(LookupError, match="/portal/nowhere"):
            navigation.menu_for(app, "admin")
    finally:
        app.state.engine.dispose()


def test_a_page_for_one_role_shows_only_to_that_role(settings):
    app = create_app(settings)
    try:
        router = APIRouter()
        router.add_api_route(
            "/portal/only-admins", lambda: None, dependencies=[require_staff("admin")]
        )
        app.include_router(router)
        item = navigation.MenuItem("/portal/only-admins", "Only admins")
        assert navigation.allowed(app, item, "admin")
        assert not navigation.allowed(app, item, "agent")
        assert not navigation.allowed(app, item, "expert")
    finally:
        app.state.engine.dispose()


def test_the_menu_is_in_german_too(client_for):
    client = client_for("agent")
    client.headers["Accept-Language"] = "de"
    page = client.get("/portal/customers").text
    nav = MENU.search(page).group(1)
    assert ">Kunden</a>" in nav and ">Posteingang</a>" in nav and ">Wissensdatenbank</a>" in nav
    assert 'href="/portal/customers" aria-current="page"' in nav  # where the agent is
    missing = without_german(texts_in(Path(navigation.__file__)), PORTAL_PO)
    assert missing == [], f"add German translations to portal.po for: {missing}"


def test_a_page_under_another_marks_only_its_own_menu_item(client_for):
    admin = client_for("admin")
    nav = MENU.search(admin.get("/portal/admin/staff").text).group(1)
    assert nav.count('aria-current="page"') == 1
    assert 'href="/portal/admin/staff" aria-current="page"' in nav


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "de"])
def test_an_expert_sees_the_expert_desk_their_profile_ratings_payouts_and_knowledge_base(
    page, portal, database, language
):
    database.create_staff("erik", "expert", display_name="Erik Experte")
    page.goto(f"{portal.url}/login?lang={language}")
    page.fill("#username", "erik")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/expert")
    nav = page.locator("header nav a")
    expected = {
        "en": ["Expert desk", "My profile", "Ratings", "Payouts", "Knowledge base"],
        "de": [
            "Experten-Arbeitsplatz",
            "Mein Profil",
            "Bewertungen",
            "Auszahlungen",
            "Wissensdatenbank",
        ],
    }
    assert nav.all_inner_texts() == expected[language]
    assert page.locator("header nav a[aria-current=page]").inner_text() == expected[language][0]
    audit(page, f"expert-menu-{language}")


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
