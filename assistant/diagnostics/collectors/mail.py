"""The provider's mail servers: does each answer on its port, does encryption work, and
what certificate does it show.

A mail program refuses (or warns about) a server whose certificate is expired, made by
itself or issued for another name; that is what a customer then sees as "my e-mail does
not work". When the strict handshake fails, a second connection that accepts any
certificate reads the certificate anyway, so the report can name the reason.

The protocols are spoken by the standard library's clients (`mail_protocols`); what is
ours is reading the certificate: every TLS handshake made through the probe's SSL context
is recorded as it happens, so the certificate is known even when the server garbles what
follows it.
"""

from __future__ import annotations

import socket
import ssl
import time

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from assistant.diagnostics.collectors.mail_protocols import (
    PROTOCOL_ERRORS,
    StartTlsNotOffered,
    StartTlsRefused,
    describe,
    greet,
)
from assistant.diagnostics.settings import MailServer
from isp_common.diagnostics.facts import CertificateInfo, MailServerProbe

# OpenSSL's verify codes (X509_V_ERR_*) for the problems a customer can be told about.
_VERIFY_PROBLEMS = {
    9: "not_yet_valid",
    10: "expired",
    18: "self_signed",
    19: "self_signed",
    62: "hostname_mismatch",
    64: "hostname_mismatch",  # the IP address form of the same mistake
}


class _HandshakeRecorder:
    """An SSL context that keeps the TLS version and certificate of its last handshake.

    The mail clients wrap their sockets themselves (at connect, or after STARTTLS);
    ``sslsocket_class`` is the context's documented hook for the class they get.
    """

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.version: str | None = None
        self.certificate: bytes | None = None
        recorder = self

        class RecordingSocket(ssl.SSLSocket):
            def do_handshake(self, block: bool = False) -> None:
                super().do_handshake(block)
                recorder.version = self.version()
                recorder.certificate = self.getpeercert(binary_form=True)

        context.sslsocket_class = RecordingSocket


def certificate_info(der: bytes) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(der)

    def common_name(name: x509.Name) -> str | None:
        values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(values[0].value) if values else None

    try:
        alt = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
        names = [*alt.get_values_for_type(x509.DNSName)]
        names += [str(ip) for ip in alt.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    return CertificateInfo(
        subject_cn=common_name(cert.subject),
        names=names,
        issuer_cn=common_name(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
    )


class MailProbe:
    """Probes one server; blocking sockets with ``timeout`` each, run in a daemon thread."""

    def __init__(self, timeout: float, ca_file: str | None = None) -> None:
        self.timeout = timeout
        self.ca_file = ca_file

    def _context(self, verify: bool) -> ssl.SSLContext:
        if not verify:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        return ssl.create_default_context(cafile=self.ca_file)

    def _talk(
        self, server: MailServer, verify: bool
    ) -> tuple[_HandshakeRecorder, Exception | None]:
        """The protocol's greeting (and TLS), and what went wrong, if anything."""
        recorder = _HandshakeRecorder(self._context(verify))
        try:
            greet(server, recorder.context, self.timeout)
        except (StartTlsNotOffered, StartTlsRefused, *PROTOCOL_ERRORS) as err:
            return recorder, err
        return recorder, None

    def probe(self, server: MailServer) -> MailServerProbe:
        result = MailServerProbe(
            protocol=server.protocol,
            host=server.host,
            port=server.port or 0,
            security=server.security,
            reachable=False,
            outcome="error",
        )
        if not self._connect(server, result):
            return result
        recorder, error = self._talk(server, verify=True)
        result.detail = describe(error) if error else None
        if server.security == "none":
            return result
        if recorder.certificate is not None:  # TLS came up, whatever the server said after
            result.tls_ok, result.tls_version = True, recorder.version
            result.certificate = certificate_info(recorder.certificate)
            return result
        self._tls_failed(server, result, error)
        return result

    def _tls_failed(
        self, server: MailServer, result: MailServerProbe, error: Exception | None
    ) -> None:
        """Why no TLS came up: not offered, refused, an untrusted certificate, or else."""
        result.tls_ok = False
        if isinstance(error, StartTlsNotOffered):
            result.tls_problem = "starttls_not_offered"
        elif isinstance(error, StartTlsRefused):
            result.tls_problem = "starttls_refused"
        elif isinstance(error, ssl.SSLCertVerificationError):
            result.tls_problem = _VERIFY_PROBLEMS.get(error.verify_code, "untrusted")
            result.detail = error.verify_message
            result.certificate = self._read_certificate(server)
        else:  # the handshake itself, or the server broke off before it
            result.tls_problem = "handshake_failed"

    def _connect(self, server: MailServer, result: MailServerProbe) -> bool:
        """Whether the port answers, and how fast; the protocol talk follows separately."""
        started = time.perf_counter()
        try:
            socket.create_connection((server.host, server.port), timeout=self.timeout).close()
        except TimeoutError:
            result.outcome = "timeout"
            return False
        except ConnectionRefusedError:
            result.outcome = "refused"
            return False
        except OSError as err:  # unknown host name, no route
            result.outcome = "unreachable" if not isinstance(err, socket.gaierror) else "error"
            result.detail = str(err)
            return False
        result.reachable, result.outcome = True, "open"
        result.time_ms = round((time.perf_counter() - started) * 1000, 1)
        return True

    def _read_certificate(self, server: MailServer) -> CertificateInfo | None:
        """The certificate of a server that failed verification, read without verifying."""
        recorder, _error = self._talk(server, verify=False)
        if recorder.certificate is None:
            return None
        try:
            return certificate_info(recorder.certificate)
        except ValueError:  # not even readable as a certificate
            return None
