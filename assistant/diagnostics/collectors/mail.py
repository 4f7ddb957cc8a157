"""The provider's mail servers: does each answer on its port, does encryption work, and
what certificate does it show.

A mail program refuses (or warns about) a server whose certificate is expired, made by
itself or issued for another name; that is what a customer then sees as "my e-mail does
not work". When the strict handshake fails, a second connection that accepts any
certificate reads the certificate anyway, so the report can name the reason.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from assistant.diagnostics.facts import CertificateInfo, MailServerProbe
from assistant.diagnostics.settings import MailServer

# OpenSSL's verify codes (X509_V_ERR_*) for the problems a customer can be told about.
_VERIFY_PROBLEMS = {
    9: "not_yet_valid",
    10: "expired",
    18: "self_signed",
    19: "self_signed",
    62: "hostname_mismatch",
    64: "hostname_mismatch",  # the IP address form of the same mistake
}
_GREETING = {"imap": b"* OK", "pop3": b"+OK", "smtp": b"220"}


class _Refused(Exception):
    """The server declined STARTTLS."""


class _Lines:
    """Reads CRLF lines from a plain socket; the protocols are lock-step, so no over-read."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line


def _starttls(sock: socket.socket, protocol: str) -> None:
    lines = _Lines(sock)
    lines.line()  # greeting
    if protocol == "imap":
        sock.sendall(b"a1 STARTTLS\r\n")
        reply = lines.line()
        while reply.startswith(b"*"):
            reply = lines.line()
        ok = reply.upper().startswith(b"A1 OK")
    elif protocol == "pop3":
        sock.sendall(b"STLS\r\n")
        ok = lines.line().startswith(b"+OK")
    else:
        sock.sendall(b"EHLO isp-assistant.invalid\r\n")
        reply = lines.line()
        while reply[3:4] == b"-":  # multi-line 250- answers end with "250 "
            reply = lines.line()
        sock.sendall(b"STARTTLS\r\n")
        ok = lines.line().startswith(b"220")
    if not ok:
        raise _Refused()


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

    def _connect(self, server: MailServer) -> socket.socket:
        return socket.create_connection((server.host, server.port), timeout=self.timeout)

    def _handshake(self, server: MailServer, verify: bool, sock: socket.socket | None = None):
        sock = sock or self._connect(server)
        try:
            if server.security == "starttls":
                _starttls(sock, server.protocol)
            tls = self._context(verify).wrap_socket(sock, server_hostname=server.host)
        except BaseException:
            sock.close()
            raise
        return tls

    def probe(self, server: MailServer) -> MailServerProbe:
        result = MailServerProbe(
            protocol=server.protocol,
            host=server.host,
            port=server.port or 0,
            security=server.security,
            reachable=False,
            outcome="error",
        )
        started = time.perf_counter()
        try:
            sock = self._connect(server)
        except TimeoutError:
            result.outcome = "timeout"
            return result
        except ConnectionRefusedError:
            result.outcome = "refused"
            return result
        except OSError as err:  # unknown host name, no route
            result.outcome = "unreachable" if not isinstance(err, socket.gaierror) else "error"
            result.detail = str(err)
            return result
        result.reachable, result.outcome = True, "open"
        result.time_ms = round((time.perf_counter() - started) * 1000, 1)
        if server.security == "none":
            with sock:
                result.detail = self._greeting(sock, server.protocol)
            return result
        try:
            with self._handshake(server, verify=True, sock=sock) as tls:
                result.tls_ok, result.tls_version = True, tls.version()
                result.certificate = certificate_info(tls.getpeercert(binary_form=True))
                if server.security == "ssl":
                    result.detail = self._greeting(tls, server.protocol)
        except _Refused:
            result.tls_ok, result.tls_problem = False, "starttls_refused"
        except ssl.SSLCertVerificationError as err:
            result.tls_ok = False
            result.tls_problem = _VERIFY_PROBLEMS.get(err.verify_code, "untrusted")
            result.detail = err.verify_message
            result.certificate = self._read_certificate(server)
        except (ssl.SSLError, OSError) as err:
            result.tls_ok, result.tls_problem = False, "handshake_failed"
            result.detail = str(err) or type(err).__name__
        return result

    def _read_certificate(self, server: MailServer) -> CertificateInfo | None:
        """The certificate of a server that failed verification, read without verifying."""
        try:
            with self._handshake(server, verify=False) as tls:
                return certificate_info(tls.getpeercert(binary_form=True))
        except (OSError, ssl.SSLError, _Refused, ValueError):
            return None

    def _greeting(self, sock: socket.socket, protocol: str) -> str | None:
        """None when the server greets as its protocol should, else what it said."""
        with contextlib.suppress(OSError, ConnectionError):
            line = _Lines(sock).line()
            if line.startswith(_GREETING[protocol]):
                return None
            return line[:200].decode(errors="replace")
        return None
