"""The experts' portal pages: the expert's own profile (`profile_pages`), and admins'
pages for profiles (`review_pages`) and the category tree (`category_pages`). The
expert's start page, the desk at `/portal/expert`, belongs to `expert_desk`."""

from __future__ import annotations

from fastapi import APIRouter

from agent_portal.experts import category_pages, profile_pages, review_pages

router = APIRouter(tags=["experts"], include_in_schema=False)
router.include_router(profile_pages.router)
router.include_router(review_pages.router)
router.include_router(category_pages.router)
