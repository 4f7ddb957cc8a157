"""The portal's language for each request: `?lang=` wins and is remembered in a cookie,
then the cookie, then the browser's Accept-Language, then the server's default."""

from __future__ import annotations

import re

import pytest

from agent_portal.web.language import LANGUAGE_COOKIE

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def page_language(response) -> str:
    return re.search(r'<html lang="(\w+)">', response.text).group(1)


def language_cookies(response) -> list[str]:
    return [
        cookie
        for cookie in response.headers.get_list("set-cookie")
        if cookie.startswith(f"{LANGUAGE_COOKIE}=")
    ]


def test_the_asked_language_is_shown_and_remembered_for_a_year(http):
    response = http.get("/login?lang=en", headers={"Accept-Language": "de"})
    assert page_language(response) == "en"
    [cookie] = language_cookies(response)
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=en;")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert attributes == {"httponly", "max-age=31536000", "path=/", "samesite=lax"}
    # The remembered choice wins over the browser's.
    again = http.get("/login", headers={"Accept-Language": "de"})
    assert page_language(again) == "en"
    assert language_cookies(again) == []


def test_without_a_choice_the_browsers_language_then_the_servers_default(http, settings):
    assert page_language(http.get("/login", headers={"Accept-Language": "en-GB,de;q=0.5"})) == "en"
    assert page_language(http.get("/login", headers={"Accept-Language": "de-CH"})) == "de"
    assert page_language(http.get("/login", headers={"Accept-Language": "fr"})) == (
        settings.default_language
    )


def test_an_unknown_language_is_neither_shown_nor_remembered(http):
    response = http.get("/login?lang=fr", headers={"Accept-Language": "en"})
    assert page_language(response) == "en"
    assert language_cookies(response) == []


def test_every_answer_remembers_the_asked_language_api_errors_too(http):
    response = http.get("/api/v1/nothing-here?lang=en")
    assert response.status_code == 404
    assert [cookie.split(";")[0] for cookie in language_cookies(response)] == [
        f"{LANGUAGE_COOKIE}=en"
    ]
    assert response.headers["x-content-type-options"] == "nosniff"  # and keeps the others
