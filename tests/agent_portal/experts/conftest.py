"""Fixtures of the experts' tests: a database session beside the portal, an expert and an
admin, the starter category tree, and photos made with Pillow."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.experts import service
from tests.support.portal_data import database_session

LIMITS = service.PriceLimits()


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    yield from database_session(database_url)


def add_staff(db_session: Session, username: str, role: str) -> StaffMember:
    """A staff member who cannot log in with a password (spares the password hashing)."""
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
def expert(db_session: Session) -> StaffMember:
    return add_staff(db_session, "max.keller", "expert")


@pytest.fixture
def admin(db_session: Session) -> Actor:
    return Actor.staff(add_staff(db_session, "ida.admin", "admin"))


@pytest.fixture
def tree(db_session: Session) -> dict[str, int]:
    """The starter tree (written by the migration); its categories' ids by English name."""
    return {
        node.name_en: node.id
        for top in service.category_tree(db_session=db_session)
        for node in (top, *top.children)
    }


def photo_bytes(
    size: tuple[int, int] = (800, 600), image_format: str = "PNG", **save_options
) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    image.save(out, image_format, **save_options)
    return out.getvalue()


def profile_fields(tree: dict[str, int], **changes) -> dict:
    fields = {
        "display_name": "Max Keller",
        "languages": ["de", "en"],
        "category_ids": [tree["Internet & router"], tree["Wi-Fi & home network"]],
        "keywords": "Router, Mesh, WLAN",
        "slogan": "Ich bringe Ihr WLAN in jedes Zimmer.",
        "qualifications": "Netzwerktechniker EFZ",
        "experience": "15 Jahre Support bei einem Provider.",
        "text_language": "de",
        "price_per_minute": 150,
        "price_per_session": None,
    }
    fields.update(changes)
    return fields


def submit(db_session: Session, staff: StaffMember, tree, *, photo: bytes | None = None, **kw):
    profile_in = service.validate(
        db_session=db_session, limits=LIMITS, **profile_fields(tree, **kw)
    )
    draft = service.submit_profile(
        db_session=db_session,
        staff=staff,
        profile_in=profile_in,
        photo_upload=photo,
        photo_max_bytes=2_000_000,
    )
    db_session.commit()
    return draft
