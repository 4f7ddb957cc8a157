"""The demo seed brings approved demo experts with photos, on both databases; loading it
twice adds nothing."""

from __future__ import annotations

from agent_portal.demo_data import seed_demo_data
from agent_portal.experts import service


def test_the_demo_shows_approved_experts_with_photos(db_session):
    for _ in range(2):
        seed_demo_data(db_session=db_session, time_zone="Europe/Zurich")
        db_session.commit()
    shown = service.visible_profiles(db_session=db_session)
    assert [profile.display_name for profile in shown] == [
        "Erik Experte",
        "Lina Berger",
        "Marco Rossi",
    ]
    for profile in shown:
        assert service.public_photo(db_session=db_session, expert_id=profile.id) is not None
        assert profile.currency == "CHF" and (profile.price_per_minute or profile.price_per_session)
    assert service.pending_profiles(db_session=db_session) == []
