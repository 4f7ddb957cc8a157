"""Imports every domain's models, so that the metadata (and Alembic) sees all tables."""

from agent_portal.auth import models as auth_models  # noqa: F401
from agent_portal.customers import models as customers_models  # noqa: F401
from agent_portal.database import Base

__all__ = ["Base"]
