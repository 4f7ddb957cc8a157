"""Alembic environment: runs the migrations on the connection `agent_portal.migrate` hands in."""

from alembic import context

import agent_portal.models  # noqa: F401  (registers every table on the metadata)
from agent_portal.database import Base


def include_name(name, _type, _parent_names) -> bool:
    """Skips what a domain writes by hand in its migrations and keeps out of its models
    (full-text indexes: they differ by database), so autogenerate does not drop them."""
    return name not in Base.metadata.info.get("hand_written", ())


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
