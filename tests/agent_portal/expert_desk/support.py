"""Experts as customers find them: a staff member with an approved profile."""

from __future__ import annotations

from dataclasses import dataclass

from agent_portal.database import utcnow
from agent_portal.experts.models import ExpertProfile


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


def approved_expert(world, username: str, name: str, **fields) -> Expert:
    """An expert whose profile an admin approved (the experts' own tests go through the
    approval; here only its outcome matters)."""
    staff = world.staff(username, role="expert", name=name)
    values = {
        "display_name": name,
        "languages": "de,en",
        "keywords": "NAS, Backup",
        "slogan": "Ihre Daten sicher zu Hause.",
        "qualifications": "Informatiker EFZ",
        "experience": "12 Jahre Heimnetzwerke.",
        "text_language": "de",
        "price_per_minute": 150,
        "currency": "CHF",
        **fields,
    }
    with world.session() as db_session:
        profile = ExpertProfile(staff_id=staff.id, approved_at=utcnow(), **values)
        db_session.add(profile)
        db_session.commit()
        return Expert(staff, profile.id)
