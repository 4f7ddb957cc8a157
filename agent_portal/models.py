"""Every domain's models, so that the metadata (and Alembic) sees all tables: each domain
names its models module in its `domain.py` (`agent_portal.domains`)."""

from agent_portal import domains
from agent_portal.database import Base

MODELS = [domain.models for domain in domains.all_domains() if domain.models is not None]

__all__ = ["Base"]
