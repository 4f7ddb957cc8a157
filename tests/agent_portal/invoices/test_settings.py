"""The issuer's settings: its name, address and tax number read from the environment, the
address split into its lines; an empty name stops the start with a message naming it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent_portal.config import PortalSettings
from agent_portal.invoices.figures import Issuer


def test_the_issuer_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_ISP_NAME", "Alpnet AG")
    monkeypatch.setenv("PORTAL_ISP_ADDRESS", "Bahnhofstrasse 1 | 8001 Zürich")
    monkeypatch.setenv("PORTAL_ISP_TAX_ID", "CHE-123.456.789 MWST")
    monkeypatch.setenv("PORTAL_LEDGER_TAX_PERCENT", "8.1")
    issuer = Issuer.from_settings(PortalSettings(_env_file=None))
    assert (issuer.name, issuer.tax_id) == ("Alpnet AG", "CHE-123.456.789 MWST")
    assert issuer.address_lines() == ["Bahnhofstrasse 1", "8001 Zürich"]
    assert str(issuer.tax_percent) == "8.1"


def test_an_empty_issuer_name_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("PORTAL_ISP_NAME", "")
    with pytest.raises(ValidationError, match="isp_name"):
        PortalSettings(_env_file=None)
