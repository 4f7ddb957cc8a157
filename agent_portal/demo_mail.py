"""The demo's mail server: a real SMTP submission server (aiosmtpd) on 127.0.0.1 that
requires STARTTLS, with a certificate of a CA made for the demo, so the assistant's e-mail
check finds a healthy server. Mail sent to it is accepted and dropped (aiosmtpd's `Sink`).

The demo runs no IMAP or POP3 server, so the demo's provider profile names only this one:
the check then tests sending, and the check's details say which servers it tested.

The CA and the certificate are made at each start in the demo's data folder. The demo's
assistant trusts that CA for mail servers (`ISP_ASSISTANT_MAIL_CA_FILE`), as a customer's
computer trusts the public CA that signed an ISP's real mail server.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from isp_common.provider_profile import MailServer

HOST = "127.0.0.1"
CERTIFICATE_DAYS = 90  # well beyond the check's "expires soon" warning


@dataclass(frozen=True)
class DemoMailServer:
    controller: Controller
    server: MailServer  # as the provider profile names it
    ca_file: Path  # the CA the assistant must trust for it

    def stop(self) -> None:
        self.controller.stop()


def start_mail_server(directory: Path) -> DemoMailServer:
    """Starts the server on a free loopback port, its certificate files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_file, cert_file, key_file = _make_certificates(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    port = _free_port()
    controller = Controller(
        Sink(), hostname=HOST, port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    server = MailServer(protocol="smtp", host=HOST, port=port, security="starttls")
    return DemoMailServer(controller, server, ca_file)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Demo ISP mail CA")
    ca_usage = x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    ca_builder = _builder(ca_name, ca_name, ca_key.public_key(), ca=True)
    ca = _signed(ca_builder.add_extension(ca_usage, critical=True), ca_key)
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]
    builder = (
        _builder(_name("localhost"), ca_name, key.public_key(), ca=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    certificate = _signed(builder, ca_key)
    paths = directory / "mail-ca.pem", directory / "mail-server.pem", directory / "mail-server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths[2].chmod(0o600)
    return paths


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject, issuer, public_key, *, ca: bool) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CERTIFICATE_DAYS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _signed(builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(key, hashes.SHA256())
