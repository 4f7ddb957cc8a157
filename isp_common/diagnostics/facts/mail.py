"""Facts about the provider's mail servers: do they answer, does encryption work."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from isp_common.diagnostics.facts.network import ProbeOutcome

TlsProblem = Literal[
    "expired",
    "not_yet_valid",
    "self_signed",
    "untrusted",
    "hostname_mismatch",
    "handshake_failed",
    "starttls_not_offered",
    "starttls_refused",
]


class CertificateInfo(BaseModel):
    subject_cn: str | None = None
    names: list[str] = []
    """The host names the certificate is valid for (subject alternative names)."""
    issuer_cn: str | None = None
    not_before: datetime
    not_after: datetime
    self_signed: bool


class MailServerProbe(BaseModel):
    protocol: Literal["imap", "pop3", "smtp"]
    host: str
    port: int
    security: Literal["ssl", "starttls", "none"]
    reachable: bool
    outcome: ProbeOutcome
    time_ms: float | None = None
    detail: str | None = None
    tls_ok: bool | None = None
    """None when the server is unreachable or no encryption is configured."""
    tls_version: str | None = None
    tls_problem: TlsProblem | None = None
    certificate: CertificateInfo | None = None


class MailFacts(BaseModel):
    kind: Literal["mail"] = "mail"
    servers: list[MailServerProbe]
