"""The assistant's experts API on the real portal, both databases: only signed requests
of a linked device are answered; the category tree in the request's language; a profile
only once approved and while not suspended; the photo re-encoded and cacheable."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from agent_portal.experts import service
from isp_common.experts_wire import (
    CATEGORIES_PATH,
    ExpertCategories,
    ExpertProfilePublic,
)
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.experts.conftest import photo_bytes, submit
from tests.support.premium_portal import (  # noqa: F401 - fixtures used by name
    PASSWORD,
    api,
    assistants,
    keys,
    provision,
)


@pytest.fixture
def device_key(api, assistants):  # noqa: F811
    provision(api, "K-300100")
    laptop = assistants()
    laptop.sign_in("K-300100", password=PASSWORD, device_name="Laptop")
    return laptop.device_key


@pytest.fixture
def get(http, device_key):
    """GET a path as the linked assistant does: signed, with any extra headers."""

    def fetch(path: str, **headers: str):
        signed = device_request_headers(
            sign=device_key.sign,
            device_id=device_key.device_id,
            method="GET",
            target=path.encode(),
            body=b"",
            timestamp=int(time.time()),
        )
        return http.get(path, headers={**signed, **headers})

    return fetch


@pytest.fixture
def approved(db_session, expert, admin, tree):
    """An approved profile with a photo; its id."""
    profile_id = submit(db_session, expert, tree, photo=photo_bytes((900, 600))).profile_id
    service.approve_change(db_session=db_session, profile_id=profile_id, actor=admin)
    db_session.commit()
    return profile_id


def test_unsigned_requests_are_refused(http, approved):
    for path in (
        CATEGORIES_PATH,
        f"/api/v1/experts/{approved}",
        f"/api/v1/experts/{approved}/photo",
    ):
        response = http.get(path)
        assert response.status_code == 401 and response.json()["code"] == "device_auth_missing"


def test_the_category_tree_in_the_requests_language(get):
    german = ExpertCategories.model_validate(
        get(CATEGORIES_PATH, **{"Accept-Language": "de"}).json()
    )
    english = ExpertCategories.model_validate(
        get(CATEGORIES_PATH, **{"Accept-Language": "en"}).json()
    )
    assert german.language == "de" and english.language == "en"
    assert [top.name for top in german.categories][:2] == ["Internet & Router", "WLAN & Heimnetz"]
    assert [top.name for top in english.categories][:2] == [
        "Internet & router",
        "Wi-Fi & home network",
    ]
    assert len(english.categories) == 17
    assert english.categories[0].children[0].name == "Connection & outages"
    assert get(CATEGORIES_PATH + "?lang=en").json()["language"] == "en"


def test_a_profile_is_shown_once_approved_and_hidden_while_suspended(
    get, db_session, expert, admin, tree
):
    profile_id = submit(db_session, expert, tree, price_per_session=4_500).profile_id
    waiting = get(f"/api/v1/experts/{profile_id}")
    assert waiting.status_code == 404 and waiting.json()["code"] == "expert_not_found"

    service.approve_change(db_session=db_session, profile_id=profile_id, actor=admin)
    db_session.commit()
    shown = ExpertProfilePublic.model_validate(
        get(f"/api/v1/experts/{profile_id}", **{"Accept-Language": "en"}).json()
    )
    assert shown.display_name == "Max Keller" and shown.photo_url is None
    assert shown.languages == ["de", "en"] and shown.text_language == "de"
    assert shown.slogan == "Ich bringe Ihr WLAN in jedes Zimmer."
    assert shown.keywords == ["Router", "Mesh", "WLAN"]
    assert [c.name for c in shown.categories] == ["Internet & router", "Wi-Fi & home network"]
    assert shown.prices.model_dump() == {"currency": "CHF", "per_minute": 150, "per_session": 4500}

    service.suspend_expert(
        db_session=db_session, profile_id=profile_id, reason="Prüfung", actor=admin
    )
    db_session.commit()
    assert get(f"/api/v1/experts/{profile_id}").status_code == 404
    assert get("/api/v1/experts/999999").status_code == 404


def test_the_photo_is_a_small_jpeg_and_cacheable(get, approved):
    shown = get(f"/api/v1/experts/{approved}").json()
    assert shown["photo_url"].startswith(f"/api/v1/experts/{approved}/photo?v=")
    response = get(shown["photo_url"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert "immutable" in response.headers["cache-control"]
    assert Image.open(io.BytesIO(response.content)).size == (512, 341)
    etag = response.headers["etag"]
    again = get(f"/api/v1/experts/{approved}/photo", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert get(f"/api/v1/experts/{approved}/photo").headers["cache-control"] == "private, no-cache"
