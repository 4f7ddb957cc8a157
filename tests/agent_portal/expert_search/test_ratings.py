"""What a profile page shows of the ratings: per category (the wish of the source
article: ratings per topic, not one global one), the number of rated sessions and when
the expert was last online. Also every text of the badge in German."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import agent_portal.expert_search
from agent_portal.auth.models import StaffMember
from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_search import finder
from agent_portal.expert_search.ranking import Rating, rank
from agent_portal.i18n import LOCALE_DIR
from tests.agent_portal.expert_search.search_data import (
    AWAY_AFTER,
    add_category,
    add_expert,
    go_online,
    rate,
)
from tests.support.translations import texts_in, without_german

SEARCH_FILES = ("badge.py", "errors.py", "views.py")


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def test_ratings_are_shown_per_category_with_sessions_and_last_online(db_session):
    wifi = add_category(db_session, "WLAN", "Wi-Fi")
    printers = add_category(db_session, "Drucker", "Printers")
    anna = add_expert(db_session, "Anna Keller", categories=[wifi, printers])
    last_login = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    db_session.get(StaffMember, anna.staff_id).last_login_at = last_login
    rate(db_session, anna, 5, 30, 3000, category=wifi)
    rate(db_session, anna, 4, 20, 2000, category=wifi)
    rate(db_session, anna, 2, 15, 1500, category=printers)
    rate(db_session, anna, 5, 0.5, 0, category=printers)  # free: counted, weighs nothing

    shown = finder.profile_ratings(
        db_session=db_session,
        profile_id=anna.id,
        language="en",
        now=utcnow(),
        away_after=AWAY_AFTER,
    )
    assert shown.summary.sessions == 4
    assert [shown.category_names[item.category_id] for item in shown.summary.by_category] == [
        "Wi-Fi",
        "Printers",
    ]
    wifi_rank, printer_rank = (item.ranked for item in shown.summary.by_category)
    assert wifi_rank == rank([Rating(5, 30, 3000), Rating(4, 20, 2000)])
    assert printer_rank.count == 2 and printer_rank.score < 3.5 < wifi_rank.score
    assert shown.status == "offline" and shown.last_online_at == last_login

    go_online(db_session, anna)
    now = utcnow()
    online = finder.profile_ratings(
        db_session=db_session, profile_id=anna.id, language="de", now=now, away_after=AWAY_AFTER
    )
    assert online.status == "online" and online.last_online_at == now
    assert online.category_names[wifi.id] == "WLAN"


def test_a_profile_customers_cannot_see_shows_no_ratings(db_session):
    hidden = add_expert(db_session, "Dora Waiting", approved=False)
    assert (
        finder.profile_ratings(
            db_session=db_session,
            profile_id=hidden.id,
            language="de",
            now=utcnow(),
            away_after=timedelta(minutes=5),
        )
        is None
    )


def test_every_text_of_search_and_badge_has_a_german_translation():
    folder = Path(agent_portal.expert_search.__file__).parent
    texts = texts_in(*(folder / name for name in SEARCH_FILES))
    assert ("Away",) in texts and ("Busy",) in texts
    assert without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po") == []
