"""The server behind the desktop assistant, and the portal where hotline agents and experts work.

`create_app(settings)` in `agent_portal.app` builds the FastAPI application; each domain
(customers, staff and auth, provisioning, ...) has its own folder with its models,
service functions (plain functions taking a database session) and routes.
"""
