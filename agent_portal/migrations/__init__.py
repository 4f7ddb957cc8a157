"""Alembic migrations of the portal's database, applied at start by `agent_portal.migrate`."""
