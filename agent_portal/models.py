"""Imports every domain's models, so that the metadata (and Alembic) sees all tables."""

from agent_portal.database import Base

__all__ = ["Base"]
