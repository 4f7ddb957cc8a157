"""The ledger's settings: the hold's lifetime, the platform's fee and the tax, read from
the environment; a fee and tax that together pass the capture stop the start with a
message that names them, and a capture split with the settings adds up to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from agent_portal.config import PortalSettings
from agent_portal.ledger.jobs import periodic
from agent_portal.ledger.money import fee_split


def test_defaults_are_a_day_long_hold_and_a_fifth_for_the_platform(monkeypatch):
    for name in (
        "PORTAL_LEDGER_HOLD_HOURS",
        "PORTAL_PLATFORM_FEE_PERCENT",
        "PORTAL_LEDGER_TAX_PERCENT",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = PortalSettings(_env_file=None)
    assert settings.ledger_hold_hours == 24
    assert settings.platform_fee_percent == 20 and settings.ledger_tax_percent == 0
    assert fee_split(1000, fee_percent=settings.platform_fee_percent) == (800, 200, 0)


def test_the_fee_and_tax_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_PLATFORM_FEE_PERCENT", "17.5")
    monkeypatch.setenv("PORTAL_LEDGER_TAX_PERCENT", "8.1")
    monkeypatch.setenv("PORTAL_LEDGER_HOLD_HOURS", "2")
    settings = PortalSettings(_env_file=None)
    assert settings.platform_fee_percent == Decimal("17.5")
    parts = fee_split(
        1, fee_percent=settings.platform_fee_percent, tax_percent=settings.ledger_tax_percent
    )
    assert sum(parts) == 1 and parts == (1, 0, 0)  # one cent cannot be split: largest share


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("PORTAL_PLATFORM_FEE_PERCENT", "95", r"platform_fee_percent \+ ledger_tax_percent"),
        ("PORTAL_PLATFORM_FEE_PERCENT", "-1", "platform_fee_percent"),
        ("PORTAL_LEDGER_HOLD_HOURS", "0", "ledger_hold_hours"),
    ],
)
def test_nonsense_stops_the_start_naming_the_setting(monkeypatch, name, value, named):
    monkeypatch.setenv("PORTAL_LEDGER_TAX_PERCENT", "10")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=named):
        PortalSettings(_env_file=None)


def test_the_expiry_job_runs_in_one_worker_of_the_installation():
    (job,) = periodic(PortalSettings(_env_file=None))
    assert job.name == "ledger-expire-holds" and job.singleton
