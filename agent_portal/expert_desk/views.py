"""The expert desk's JSON API: `GET /api/v1/expert-desk/presence?expert_id=…`, the
assistant's view of experts' availability (`isp_common.expert_desk_wire`). The desk's
pages are in `pages.py`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices.deps import require_device
from agent_portal.expert_desk import availability
from agent_portal.params import Id
from isp_common.expert_desk_wire import (
    PRESENCE_MAX_IDS,
    PRESENCE_PATH,
    ExpertPresence,
    ExpertPresenceList,
    ExpertStatus,
)

router = APIRouter(tags=["experts"])


ExpertIds = Annotated[
    list[Id],
    Query(
        alias="expert_id",
        max_length=PRESENCE_MAX_IDS,
        description="The experts to tell about (repeat the parameter)",
    ),
]


@router.get(PRESENCE_PATH, response_model=ExpertPresenceList, dependencies=[require_device()])
def expert_presence(
    db_session: SessionDep, settings: SettingsDep, expert_ids: ExpertIds = ()
) -> ExpertPresenceList:
    """Each expert's availability: online (answers now), busy, away or offline (a message
    waits for them). Unknown ids read offline."""
    found = availability.statuses(
        db_session=db_session,
        expert_ids=[expert_id for expert_id in expert_ids if expert_id > 0],
        now=utcnow(),
        away_after=timedelta(minutes=settings.staff_away_minutes),
    )
    return ExpertPresenceList(
        experts=[
            ExpertPresence(expert_id=expert_id, status=found.get(expert_id, ExpertStatus.offline))
            for expert_id in dict.fromkeys(expert_ids)
        ]
    )
