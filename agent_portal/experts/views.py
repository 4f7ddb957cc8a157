"""The experts' routes. The expert's start page, `/portal/expert`, is the inbox of the
expert's desk (`agent_portal.expert_desk`)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["experts"], include_in_schema=False)
