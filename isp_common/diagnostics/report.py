"""The diagnostics report: one versioned pydantic model, JSON in and out.

The assistant makes it, the server stores it, the hotline agent reads it; both sides import
this module, so it pulls in nothing heavier than pydantic (no psutil, no UI). A report
holds one `CheckResult` per check that ran, each with the facts collected and the
findings the rules drew from them, already in the report's ``language``.

Shape (``DiagnosticsReport.model_dump(mode="json")``)::

    {"schema_version": 1, "report_id": "...", "language": "de",
     "started_at": "...", "finished_at": "...", "host": {...}, "severity": "warning",
     "checks": [{"check_id": "internet.dns", "category": "internet", "premium": false,
                 "title": "...", "status": "completed", "reason": null, "advice": null,
                 "severity": "ok", "duration_ms": 12.5, "facts": {"kind": "dns", ...},
                 "findings": [{"id": "internet.dns.ok", "severity": "ok", "title": "...",
                               "explanation": "...", "steps": [], "quick_link": null,
                               "params": {}}]}]}
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, computed_field, field_validator

from isp_common.diagnostics.facts import Facts

SCHEMA_VERSION = 1
"""Raised when a field changes meaning or disappears; new optional fields keep it."""


class Severity(StrEnum):
    ok = "ok"
    info = "info"
    warning = "warning"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    @classmethod
    def worst(cls, severities: list[Severity]) -> Severity | None:
        return max(severities, key=lambda s: s.rank) if severities else None


_SEVERITY_ORDER = [Severity.ok, Severity.info, Severity.warning, Severity.critical]


class Category(StrEnum):
    internet = "internet"
    """Internet and Wi-Fi: interfaces, router, name lookups, reachability, Wi-Fi, modem."""
    email = "email"
    computer = "computer"
    security = "security"


class CheckStatus(StrEnum):
    completed = "completed"
    """The facts were collected and the rules applied."""
    unknown = "unknown"
    """The facts cannot be known here; ``reason`` says why."""
    timed_out = "timed_out"
    """The check did not finish within its time and was cut."""


class QuickLink(StrEnum):
    """Settings pages a finding can open; the desktop maps each to its OS's page."""

    network = "network"
    wifi = "wifi"
    mail = "mail"
    storage = "storage"
    power = "power"
    task_manager = "task_manager"
    firewall = "firewall"
    antivirus = "antivirus"
    updates = "updates"
    accounts = "accounts"


ParamValue = str | int | float | bool | None


class Finding(BaseModel):
    id: str
    """Stable, e.g. "internet.wifi.weak_signal"; the texts may change, the id does not."""
    severity: Severity
    title: str
    explanation: str
    steps: list[str] = []
    """What the customer can do, in order."""
    quick_link: QuickLink | None = None
    params: dict[str, ParamValue] = {}
    """The values in the texts, so the texts can be rendered again in another language."""
    calls_hotline: bool = False
    """A step tells the customer to call the hotline (the page shows its number there)."""


class CheckResult(BaseModel):
    check_id: str
    category: Category
    premium: bool
    title: str
    status: CheckStatus
    reason: str | None = None
    """Why the status is unknown or timed_out, in plain words."""
    advice: str | None = None
    """For unknown or timed_out: what it means for the customer and what they can do, where
    there is something to say beyond the reason (never the reason again)."""
    duration_ms: float
    facts: Facts | None = None
    findings: list[Finding] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> Severity | None:
        """The worst finding; None when the check gave no findings (unknown, timed out)."""
        return Severity.worst([f.severity for f in self.findings])


class Progress(BaseModel):
    """One finished check and how far the run is: what a UI streams ("3 of 12 done")."""

    result: CheckResult
    done: int
    total: int


class HostInfo(BaseModel):
    hostname: str
    os_family: str
    os_name: str
    os_version: str
    machine: str
    assistant_version: str


class DiagnosticsReport(BaseModel):
    schema_version: int = SCHEMA_VERSION
    report_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    language: str
    started_at: datetime
    finished_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    host: HostInfo
    checks: list[CheckResult]

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        # An older reader must not silently misread a report whose fields changed meaning.
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"report schema {value} is newer than this software understands "
                f"({SCHEMA_VERSION}); update it to read this report"
            )
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> Severity | None:
        """The worst finding of all checks."""
        return Severity.worst([s for c in self.checks if (s := c.severity) is not None])

    def findings(self, minimum: Severity = Severity.ok) -> list[Finding]:
        """All findings at or above ``minimum``, worst first."""
        found = [f for c in self.checks for f in c.findings if f.severity.rank >= minimum.rank]
        return sorted(found, key=lambda f: -f.severity.rank)

    def result(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.check_id == check_id), None)

    @property
    def has_critical(self) -> bool:
        return self.severity is Severity.critical
