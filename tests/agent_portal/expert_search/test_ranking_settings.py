"""The ranking settings (`PORTAL_EXPERT_RANK_*`) decide the score an approved expert is
stored with in the search index: an admin approving, suspending and reinstating through
the portal ranks by the server's settings, not by the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from agent_portal.config import PortalSettings
from agent_portal.expert_search.models import ExpertRating, ExpertSearchEntry
from agent_portal.expert_search.ranking import DEFAULT_RULES, Rating, rank
from tests.agent_portal.experts.conftest import submit
from tests.support.portal_data import form_token, logged_in_client

RANK_SETTINGS = [
    {"expert_rank_prior_mean": 3.5, "expert_rank_min_minutes": 2},
    {"expert_rank_prior_mean": 2.0, "expert_rank_min_minutes": 2},
    {"expert_rank_prior_mean": 3.5, "expert_rank_min_minutes": 5},
]
# One paid session of four minutes: it counts unless sessions under five minutes do not.
SESSION = Rating(score=5, minutes=4, cents=2000)


@pytest.fixture(params=RANK_SETTINGS, ids=lambda found: "-".join(map(str, found.values())))
def settings(request, database_url: str, tmp_path: Path) -> PortalSettings:
    return PortalSettings(
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "portal-data",
        login_failure_delay_seconds=0,
        **request.param,
    )


def stored_score(db_session, profile_id: int) -> float | None:
    db_session.expire_all()
    return db_session.scalar(
        select(ExpertSearchEntry.score).where(ExpertSearchEntry.profile_id == profile_id)
    )


def test_the_stored_score_follows_the_ranking_settings(settings, portal, db_session, expert, tree):
    profile_id = submit(db_session, expert, tree).profile_id
    db_session.add(
        ExpertRating(
            profile_id=profile_id,
            score=SESSION.score,
            seconds=SESSION.minutes * 60,
            cents=SESSION.cents,
        )
    )
    db_session.commit()
    expected = rank([SESSION], settings.expert_ranking_rules).score
    assert stored_score(db_session, profile_id) is None  # waiting for approval: not found

    with logged_in_client(portal.url, db_session, "ida.admin", "admin") as admin:
        token = form_token(db_session, admin)
        base = f"/portal/admin/experts/{profile_id}"
        assert admin.post(f"{base}/approve", data={"csrf_token": token}).status_code == 303
        assert stored_score(db_session, profile_id) == pytest.approx(expected)
        suspended = admin.post(f"{base}/suspend", data={"csrf_token": token, "reason": "Test"})
        assert suspended.status_code == 303
        assert stored_score(db_session, profile_id) is None
        assert admin.post(f"{base}/reinstate", data={"csrf_token": token}).status_code == 303
        assert stored_score(db_session, profile_id) == pytest.approx(expected)
    # Only the default settings give the default score: each setting is really applied.
    by_default = rank([SESSION], DEFAULT_RULES).score
    changed = settings.expert_ranking_rules != DEFAULT_RULES
    assert (expected != pytest.approx(by_default)) is changed
