"""The experts' portal pages over HTTP, both databases: the expert's form stores nothing
when refused and says why in the reader's language; admins approve, reject, suspend, and
keep the category tree; other roles cannot open these pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agent_portal.experts import service
from agent_portal.experts.models import ExpertProfile
from tests.agent_portal.experts.conftest import photo_bytes, submit
from tests.support.portal_data import form_token, logged_in_client

GERMAN = {"Accept-Language": "de"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def expert_client(portal, db_session):
    with logged_in_client(portal.url, db_session, "eva.expert", "expert") as client:
        yield client


@pytest.fixture
def admin_client(portal, db_session):
    with logged_in_client(portal.url, db_session, "ida.admin", "admin") as client:
        yield client


def form(tree, token, **changes):
    fields = {
        "csrf_token": token,
        "display_name": "Eva Expert",
        "languages": ["de", "fr"],
        "category_ids": [str(tree["Windows"])],
        "keywords": "Windows 11, Treiber",
        "slogan": "Ich mache Ihren PC wieder schnell.",
        "qualifications": "Microsoft Certified",
        "experience": "10 Jahre",
        "text_language": "de",
        "price_per_minute": "1.80",
        "price_per_session": "",
    }
    fields.update(changes)
    return fields


def profiles(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(ExpertProfile))


def test_an_expert_saves_the_profile_with_a_photo_and_it_waits_for_approval(
    expert_client, db_session, tree
):
    token = form_token(db_session, expert_client)
    response = expert_client.post(
        "/portal/expert/profile",
        data=form(tree, token),
        files={"photo": ("me.png", photo_bytes(), "image/png")},
        headers=ENGLISH,
    )
    assert response.status_code == 303
    page = expert_client.get("/portal/expert/profile", headers=ENGLISH).text
    assert "Your profile has been sent for approval" in page
    assert "waiting for approval" in page and 'value="1.80"' in page
    profile = service.get_profile(db_session=db_session, expert_id=_only_profile_id(db_session))
    assert profile.draft.price_per_minute == 180 and profile.draft.photo_id is not None
    photo = expert_client.get(f"/portal/experts/photos/{profile.draft.photo_id}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"


def _only_profile_id(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(ExpertProfile.id))


@pytest.mark.parametrize(
    ("changes", "files", "german", "english"),
    [
        (
            {"category_ids": ["windows", "macos", "linux", "email"]},
            None,
            "Wählen Sie höchstens 3 Kategorien (gewählt: 4).",
            "Choose at most 3 categories (you chose 4).",
        ),
        (
            {"price_per_minute": "0.10"},
            None,
            "Der Preis muss zwischen 0,50\xa0CHF und 20,00\xa0CHF liegen.",
            "The price must be between CHF\xa00.50 and CHF\xa020.00.",
        ),
        (
            {"price_per_minute": "zwei"},
            None,
            "Geben Sie einen Betrag wie 1.50 ein.",
            "Enter an amount like 1.50.",
        ),
        (
            {},
            {"photo": ("me.png", b"<html><script>alert(1)</script></html>", "image/png")},
            "Die Datei ist kein Foto",
            "The file is not a photo",
        ),
    ],
)
def test_bad_input_is_refused_in_the_readers_language_and_nothing_is_stored(
    expert_client, db_session, tree, changes, files, german, english
):
    token = form_token(db_session, expert_client)
    names = {"windows": "Windows", "macos": "macOS", "linux": "Linux", "email": "E-mail"}
    changes = dict(changes)  # the parameter is shared by the test's runs: never change it
    if "category_ids" in changes:
        changes["category_ids"] = [str(tree[names[key]]) for key in changes["category_ids"]]
    for headers, words in ((GERMAN, german), (ENGLISH, english)):
        response = expert_client.post(
            "/portal/expert/profile",
            data=form(tree, token, **changes),
            files=files,
            headers=headers,
        )
        assert response.status_code == 400
        assert words in response.text
        assert 'value="Eva Expert"' in response.text  # what was typed stays in the form
    assert profiles(db_session) == 0


def test_an_oversized_photo_is_refused(expert_client, db_session, tree, portal_app):
    limit = portal_app.state.settings.expert_photo_max_bytes
    token = form_token(db_session, expert_client)
    big = photo_bytes((100, 100)) + b"\0" * limit
    response = expert_client.post(
        "/portal/expert/profile",
        data=form(tree, token),
        files={"photo": ("big.png", big, "image/png")},
        headers=ENGLISH,
    )
    assert response.status_code in (400, 413)
    assert profiles(db_session) == 0


def test_admins_approve_and_reject_with_a_reason_the_expert_reads(
    admin_client, expert_client, db_session, tree
):
    token = form_token(db_session, expert_client)
    expert_client.post("/portal/expert/profile", data=form(tree, token), headers=ENGLISH)
    profile_id = _only_profile_id(db_session)
    review = admin_client.get("/portal/admin/experts", headers=ENGLISH).text
    assert "Eva Expert" in review and "A new profile" in review and "CHF\xa01.80" in review
    admin_token = form_token(db_session, admin_client)
    refused = admin_client.post(
        f"/portal/admin/experts/{profile_id}/reject",
        data={"csrf_token": admin_token, "reason": ""},
        headers=ENGLISH,
    )
    assert refused.status_code == 400 and "Give a reason" in refused.text
    admin_client.post(
        f"/portal/admin/experts/{profile_id}/reject",
        data={"csrf_token": admin_token, "reason": "Bitte Preis pro Sitzung ergänzen."},
    )
    page = expert_client.get("/portal/expert/profile", headers=GERMAN).text
    assert "Bitte Preis pro Sitzung ergänzen." in page and "zurückgewiesen" in page

    expert_client.post(
        "/portal/expert/profile", data=form(tree, token, price_per_session="45"), headers=ENGLISH
    )
    approved = admin_client.post(
        f"/portal/admin/experts/{profile_id}/approve", data={"csrf_token": admin_token}
    )
    assert approved.status_code == 303
    shown = service.public_profile(db_session=db_session, expert_id=profile_id)
    assert shown.price_per_session == 4500
    assert (
        "freigegeben: Kunden sehen es."
        in expert_client.get("/portal/expert/profile", headers=GERMAN).text
    )


def test_a_category_in_use_is_not_removed_and_the_admin_is_told_why(
    admin_client, db_session, expert, tree
):
    submit(db_session, expert, tree, category_ids=[tree["Android"]])
    token = form_token(db_session, admin_client)
    refused = admin_client.post(
        f"/portal/admin/expert-categories/{tree['Android']}/remove",
        data={"csrf_token": token},
        headers=GERMAN,
    )
    assert refused.status_code == 409
    assert "„Android“ ist in Expertenprofilen gewählt (1)" in refused.text
    assert service.get_category(db_session=db_session, category_id=tree["Android"]) is not None
    added = admin_client.post(
        "/portal/admin/expert-categories",
        data={"csrf_token": token, "name_de": "Drohnen", "name_en": "Drones", "parent_id": ""},
    )
    assert added.status_code == 303
    page = admin_client.get("/portal/admin/expert-categories", headers=ENGLISH).text
    assert "Drohnen" in page and "Drones" in page


def test_other_roles_cannot_open_the_experts_admin_pages(expert_client, portal, db_session):
    for path in ("/portal/admin/experts", "/portal/admin/expert-categories"):
        assert expert_client.get(path).status_code == 403
    with logged_in_client(portal.url, db_session, "tom.agent", "agent") as agent:
        assert agent.get("/portal/expert/profile").status_code == 403


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
