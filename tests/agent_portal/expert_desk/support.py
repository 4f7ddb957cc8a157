"""Experts as customers find them: a staff member with an approved profile in its
categories, its search entry written as approving writes it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import select

from agent_portal.database import utcnow
from agent_portal.expert_search import index
from agent_portal.experts import photos
from agent_portal.experts.models import ExpertCategory, ExpertProfile, ExpertProfileCategory


@dataclass
class Expert:
    staff: object  # the staff member, with the session `token` of `World.staff`
    expert_id: int  # the public profile's id: how customers name the expert

    @property
    def id(self) -> int:
        return self.staff.id

    @property
    def token(self) -> str:
        return self.staff.token


def category_id(world, name_en: str) -> int:
    """A category of the starter tree (the migration writes it), by its English name."""
    with world.session() as db_session:
        return db_session.scalar(select(ExpertCategory.id).where(ExpertCategory.name_en == name_en))


def portrait() -> bytes:
    image = Image.new("RGB", (240, 240), (40, 110, 180))
    image.paste((250, 220, 180), (70, 50, 170, 150))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def approved_expert(
    world, username: str, name: str, *, categories=(), photo: bool = False, **fields
) -> Expert:
    """An expert whose profile an admin approved (the experts' own tests go through the
    approval; here only its outcome matters)."""
    staff = world.staff(username, role="expert", name=name)
    values = {
        "display_name": name,
        "languages": "de,en",
        "keywords": "NAS, Backup",
        "slogan": "Ihre Daten sicher zu Hause.",
        "qualifications": "Informatikerin EFZ, zertifiziert für Heimnetzwerke.",
        "experience": "Zwölf Jahre Support für Router, NAS und WLAN in Privathaushalten.",
        "text_language": "de",
        "price_per_minute": 150,
        "currency": "CHF",
        **fields,
    }
    now = utcnow()
    with world.session() as db_session:
        profile = ExpertProfile(staff_id=staff.id, approved_at=now, **values)
        if photo:
            stored = photos.new_photo(portrait(), max_bytes=5_000_000)
            db_session.add(stored)
            db_session.flush()
            profile.photo_id = stored.id
        profile.categories = [
            ExpertProfileCategory(category_id=category, position=position)
            for position, category in enumerate(categories)
        ]
        db_session.add(profile)
        db_session.flush()
        index.update_entry(db_session=db_session, profile=profile, now=now)
        db_session.commit()
        return Expert(staff, profile.id)
