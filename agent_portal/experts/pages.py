"""The experts' portal pages: the expert desk (`/portal/expert`), the expert's own
profile (`profile_pages`), and admins' pages for profiles (`review_pages`) and the
category tree (`category_pages`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent_portal.auth.deps import CurrentStaff, require_staff
from agent_portal.deps import SessionDep
from agent_portal.experts import category_pages, profile_pages, review_pages, service
from agent_portal.web.templating import render

router = APIRouter(tags=["experts"], include_in_schema=False)


@router.get("/portal/expert", dependencies=[require_staff("expert")])
def expert_home(request: Request, db_session: SessionDep, staff: CurrentStaff) -> HTMLResponse:
    profile = service.profile_of_staff(db_session=db_session, staff_id=staff.id)
    return render(request, "expert_home.html", expert=staff, profile=profile)


router.include_router(profile_pages.router)
router.include_router(review_pages.router)
router.include_router(category_pages.router)
