"""Fixtures for the diagnostics tests: real servers on 127.0.0.1, real certificates.

Nothing here sends traffic beyond the loopback interface. Functions that tests call
directly live in ``diagnostics_support`` (a unique name: test modules share one
namespace because the test folders have no ``__init__`` files).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from assistant.i18n import translator
from tests.assistant.diagnostics.diagnostics_support import (
    Certs,
    DnsServer,
    TcpServer,
    certificate,
    name,
    silent,
    write_pair,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read the English texts unless they switch; the language is a context variable."""
    token = translator.language.set("en")
    yield
    translator.language.reset(token)


@pytest.fixture
def tcp_server() -> Iterator[Callable[[Callable[[socket.socket], None]], TcpServer]]:
    servers: list[TcpServer] = []

    def start(handler: Callable[[socket.socket], None]) -> TcpServer:
        servers.append(TcpServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def silent_server(tcp_server) -> TcpServer:
    return tcp_server(silent)


@pytest.fixture
def dns_server() -> Iterator[Callable[[str], DnsServer]]:
    servers: list[DnsServer] = []

    def start(mode: str) -> DnsServer:
        servers.append(DnsServer(mode))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def http_server() -> Iterator[Callable[[int], str]]:
    """A web page on 127.0.0.1 answering with the given status; returns its URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(status: int) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Certs:
    """A test CA and server certificates for 127.0.0.1: valid, expired, self-signed, misnamed."""
    directory = tmp_path_factory.mktemp("certs")
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("ISP Test CA")
    ca = certificate(ca_name, ca_name, ca_key, ca_key, now - day, now + 365 * day, [], ca=True)
    ca_file = directory / "ca.crt"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    loopback = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]

    def leaf(stem, start, end, names=loopback, self_signed=False):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = name("imap.example-isp.test")
        issuer, signer = (subject, key) if self_signed else (ca_name, ca_key)
        cert = certificate(subject, issuer, key, signer, start, end, names)
        return write_pair(directory, stem, cert, key)

    return Certs(
        directory=directory,
        ca_file=ca_file,
        valid=leaf("valid", now - day, now + 90 * day),
        expired=leaf("expired", now - 60 * day, now - 2 * day),
        self_signed=leaf("self_signed", now - day, now + 90 * day, self_signed=True),
        wrong_name=leaf("wrong_name", now - day, now + 90 * day, [x509.DNSName("mail.other.test")]),
    )
