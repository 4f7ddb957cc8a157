"""The expert's start page in the portal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent_portal.auth.deps import CurrentStaff, require_staff
from agent_portal.web.templating import render

router = APIRouter(tags=["experts"], include_in_schema=False)


@router.get("/portal/expert", dependencies=[require_staff("expert")])
def expert_home(request: Request, staff: CurrentStaff) -> HTMLResponse:
    return render(request, "expert_home.html", expert=staff)
