"""Approved demo profiles of the demo experts (`agent_portal.demo_data`), each with a
drawn portrait, so the demo shows experts in the assistant and the portal at once.

Loading twice changes nothing: an expert who already has a profile keeps it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth import service as staff_service
from agent_portal.experts import approval, categories, profiles
from agent_portal.experts.profile_input import PriceLimits

# username -> profile fields; categories by their English starter names.
DEMO_PROFILES = {
    "expert": {
        "display_name": "Erik Experte",
        "languages": ["de", "en"],
        "categories": ["Wi-Fi & home network", "Internet & router"],
        "keywords": "Mesh, Repeater, Fritz!Box, Glasfaser",
        "slogan": "WLAN in jedem Zimmer: ich finde, wo es hakt, und richte es mit Ihnen ein.",
        "qualifications": "Netzwerktechniker EFZ\nCisco CCNA",
        "experience": "12 Jahre Support bei einem Internetanbieter, über 3000 Heimnetze.",
        "text_language": "de",
        "price_per_minute": 150,
        "price_per_session": 4_500,
        "colour": (34, 102, 170),
    },
    "lina": {
        "display_name": "Lina Berger",
        "languages": ["de", "en", "fr"],
        "categories": ["Security & viruses", "Backup & data recovery", "Windows"],
        "keywords": "Virus, Phishing, Datenrettung, Backup",
        "slogan": "Viren weg, Daten zurück: ruhig und verständlich erklärt.",
        "qualifications": "CompTIA Security+\nMicrosoft Certified: Modern Desktop",
        "experience": "8 Jahre IT-Sicherheit für Privatkunden und kleine Büros.",
        "text_language": "de",
        "price_per_minute": 200,
        "price_per_session": None,
        "colour": (150, 60, 110),
    },
    "marco": {
        "display_name": "Marco Rossi",
        "languages": ["it", "en", "de"],
        "categories": ["Smartphones & tablets", "macOS"],
        "keywords": "iPhone, Android, iCloud, transfer",
        "slogan": "New phone? I move your photos, contacts and chats over, step by step.",
        "qualifications": "Apple Certified Support Professional",
        "experience": "Six years in a phone shop's repair and setup desk.",
        "text_language": "en",
        "price_per_minute": None,
        "price_per_session": 3_900,
        "colour": (40, 130, 90),
    },
}


def portrait(initials: str, colour: tuple[int, int, int]) -> bytes:
    """A plain drawn portrait: the initials on a coloured disc (PNG)."""
    image = Image.new("RGB", (400, 400), (240, 242, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=colour)
    draw.text((200, 200), initials, fill=(255, 255, 255), anchor="mm", font_size=150)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed_demo_profiles(*, db_session: Session, currency: str = "CHF") -> None:
    """Adds and approves the demo experts' profiles that are missing; flushes only."""
    names = {
        node.name_en: node.id
        for top in categories.category_tree(db_session=db_session)
        for node in (top, *top.children)
    }
    admin = staff_service.get_staff_by_username(db_session=db_session, username="admin")
    actor = Actor.staff(admin) if admin is not None else Actor.system()
    for username, fields in DEMO_PROFILES.items():
        staff = staff_service.get_staff_by_username(db_session=db_session, username=username)
        if staff is None or profiles.profile_of_staff(db_session=db_session, staff_id=staff.id):
            continue
        chosen = [names[name] for name in fields["categories"] if name in names]
        if not chosen:
            continue  # an admin changed the tree: the demo does not guess
        profile_in = profiles.validate(
            db_session=db_session,
            limits=PriceLimits(currency=currency),
            display_name=fields["display_name"],
            languages=fields["languages"],
            category_ids=chosen,
            keywords=fields["keywords"],
            slogan=fields["slogan"],
            qualifications=fields["qualifications"],
            experience=fields["experience"],
            text_language=fields["text_language"],
            price_per_minute=fields["price_per_minute"],
            price_per_session=fields["price_per_session"],
        )
        initials = "".join(part[0] for part in fields["display_name"].split()[:2])
        draft = profiles.submit_profile(
            db_session=db_session,
            staff=staff,
            profile_in=profile_in,
            photo_upload=portrait(initials, fields["colour"]),
            photo_max_bytes=5_000_000,
        )
        approval.approve_change(db_session=db_session, profile_id=draft.profile_id, actor=actor)
