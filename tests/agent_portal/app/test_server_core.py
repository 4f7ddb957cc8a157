"""The server's core: it starts on either database, applies its migrations, and answers its
health probes; settings come from the environment with clear errors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect

from agent_portal.app import create_app
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine, make_session_factory


def test_liveness_and_readiness_answer(http, database_url):
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200
    expected = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert ready.json() == {"status": "ok", "database": expected}


def test_readiness_reports_an_unreachable_database(portal_app, portal, http):
    # Nothing listens on port 1: the database has gone away under a running server.
    broken = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    portal_app.state.session_factory = make_session_factory(broken)
    response = http.get("/readyz")
    assert response.status_code == 503
    assert "database unreachable" in response.json()["reason"]


def test_start_applies_migrations_to_an_empty_database(tmp_path):
    settings = PortalSettings(_env_file=None, data_dir=tmp_path / "fresh")
    app = create_app(settings)
    tables = inspect(app.state.engine).get_table_names()
    app.state.engine.dispose()
    assert (tmp_path / "fresh" / "portal.db").exists()
    assert "alembic_version" in tables


def test_settings_are_read_from_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_PORT", "9123")
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    settings = PortalSettings(_env_file=None)
    assert settings.port == 9123
    assert settings.database_url == f"sqlite:///{tmp_path / 'portal.db'}"


def test_a_bad_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("PORTAL_PORT", "eighty")
    with pytest.raises(ValidationError, match="port"):
        PortalSettings(_env_file=None)
