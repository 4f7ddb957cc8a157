"""Alembic environment: runs the migrations on the connection `agent_portal.migrate` hands in."""

from alembic import context

import agent_portal.models  # noqa: F401  (registers every table on the metadata)
from agent_portal.database import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
