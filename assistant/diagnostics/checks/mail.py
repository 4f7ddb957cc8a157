"""Do the provider's mail servers answer, with working encryption?"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from assistant.diagnostics.blocking import in_thread
from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.formats import day
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, NP_, call_hotline, finding
from isp_common.diagnostics.facts import MailFacts, MailServerProbe
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

CALL_US = call_hotline(N_("Please call us and tell us this message; we will fix it on our side."))
_UNTRUSTED = {"self_signed", "untrusted", "hostname_mismatch", "not_yet_valid"}
_PROTOCOLS = {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"}


def _server(probe: MailServerProbe) -> dict[str, str | int]:
    return {"protocol": _PROTOCOLS[probe.protocol], "host": probe.host, "port": probe.port}


def _problem(probe: MailServerProbe) -> Finding | None:
    if not probe.reachable:
        return finding(
            "email.servers.unreachable",
            Severity.critical,
            N_("The mail server {host} does not answer"),
            N_(
                "The {protocol} server {host} did not answer on port {port}. You cannot send "
                "or receive e-mail through it right now."
            ),
            [
                N_("Check that other websites open; if not, fix the internet connection first."),
                call_hotline(
                    N_(
                        "If the internet works, the server may be down: try again in an hour or "
                        "call us."
                    )
                ),
            ],
            QuickLink.mail,
            **_server(probe),
        )
    if probe.tls_problem == "expired":
        return finding(
            "email.servers.certificate_expired",
            Severity.critical,
            N_("The mail server's security certificate has expired"),
            N_(
                "The {protocol} server {host} shows a certificate that expired on {date}. Your "
                "mail program will warn you or refuse to connect."
            ),
            [N_("Do not accept the warning in your mail program."), CALL_US],
            QuickLink.mail,
            date=day(probe.certificate.not_after) if probe.certificate else "?",
            **_server(probe),
        )
    if probe.tls_problem in _UNTRUSTED:
        return finding(
            "email.servers.certificate_untrusted",
            Severity.critical,
            N_("The mail server's identity cannot be confirmed"),
            N_(
                "The {protocol} server {host} shows a certificate that is not trusted "
                "({reason}). Someone could be listening in, for example on a public Wi-Fi."
            ),
            [
                N_(
                    "Do not accept the warning in your mail program and do not enter your password."
                ),
                N_("If you are on a public or hotel Wi-Fi, try again at home."),
                CALL_US,
            ],
            QuickLink.mail,
            reason=probe.detail or probe.tls_problem,
            **_server(probe),
        )
    if probe.tls_problem is not None:
        return finding(
            "email.servers.encryption_failed",
            Severity.critical,
            N_("Secure connection to the mail server fails"),
            N_(
                "The {protocol} server {host} answers on port {port}, but the encrypted "
                "connection could not be set up."
            ),
            [CALL_US],
            QuickLink.mail,
            **_server(probe),
        )
    return None


def evaluate(facts: MailFacts, limits: Thresholds, now: datetime | None = None) -> list[Finding]:
    findings = [problem for probe in facts.servers if (problem := _problem(probe))]
    now = now or datetime.now(UTC)
    for probe in facts.servers:
        certificate = probe.certificate
        if not probe.tls_ok or certificate is None:
            continue
        days = (certificate.not_after - now).total_seconds() / 86400
        if days <= limits.certificate_expiry_warning_days:
            findings.append(
                finding(
                    "email.servers.certificate_expires_soon",
                    Severity.info,
                    N_("A mail server's certificate expires soon"),
                    NP_(
                        "The certificate of {host} expires in {days} day. There is nothing for "
                        "you to do; we renew it in time.",
                        "The certificate of {host} expires in {days} days. There is nothing for "
                        "you to do; we renew it in time.",
                        n="days",
                    ),
                    days=int(max(days, 0)),
                    **_server(probe),
                )
            )
    if not any(f.severity is Severity.critical for f in findings):
        findings.insert(
            0,
            finding(
                "email.servers.ok",
                Severity.ok,
                N_("The mail servers answer"),
                NP_(
                    "The mail server answers and uses secure encryption.",
                    "All {count} mail servers answer and use secure encryption.",
                ),
                count=len(facts.servers),
            ),
        )
    return findings


async def collect(ctx) -> MailFacts:
    servers = ctx.settings.mail_servers
    if not servers:
        raise Unknown(
            N_(
                "Your provider's mail servers are not known here: they come with your "
                "provider's settings, which this assistant has not received."
            )
        )
    probes = await asyncio.gather(*(in_thread(ctx.mail.probe, server) for server in servers))
    return MailFacts(servers=list(probes))


CHECK = Check(
    id="email.servers",
    category=Category.email,
    premium=False,
    title_msgid=N_("Mail servers"),
    description_msgid=N_("Whether the incoming and outgoing mail servers answer securely."),
    collect=collect,
    evaluate=evaluate,
    order=70,
)
