"""The portal's answers carry its security headers: pages may run only the portal's own
scripts and styles and may not be shown in another site's frame; the API docs, which load
Swagger UI from a CDN, keep working. (Every browser test fails if the policy refuses
anything on the pages it opens: tests/support/browser.py.)"""

from __future__ import annotations

import pytest

from agent_portal.web.security_headers import CONTENT_SECURITY_POLICY
from tests.agent_portal.auth.accounts import Database, log_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_pages_allow_only_the_portals_own_scripts_and_no_frames(http):
    login = http.get("/login")
    assert login.status_code == 200
    policy = login.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert login.headers["x-frame-options"] == "DENY"
    assert login.headers["x-content-type-options"] == "nosniff"
    assert login.headers["referrer-policy"] == "same-origin"


def test_api_answers_and_errors_carry_the_headers_too(http):
    for response in (http.get("/healthz"), http.get("/api/v1/nothing-here")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "content-security-policy" in response.headers


def test_the_api_docs_still_load_their_viewer(http, settings):
    staff = Database(settings)
    staff.create_staff("erik", "expert")
    staff.close()
    assert log_in(http, "erik").status_code == 303  # the docs are for staff (PORTAL_API_DOCS)
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    # Swagger UI comes from a CDN with an inline start script: no policy there.
    assert "content-security-policy" not in docs.headers
    assert docs.headers["x-frame-options"] == "DENY"
