"""Shared code for the diagnostics tests: loopback servers, certificates, unprivileged runs.

Nothing here sends traffic beyond the loopback interface: every setting that names a
host points at 127.0.0.1, at a server started here or at a port where nothing listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from assistant.diagnostics.commands import CommandResult, CommandRunner
from assistant.diagnostics.settings import DiagnosticsSettings

DATA = Path(__file__).parent / "data"


def recording(path: Path) -> bytes:
    """A recorded output without its first line, which names where the output came from.

    Recordings under data/windows and data/macos begin with "# source: ..." (published
    output captured on a real machine) or "# constructed: ..." (written for a case no
    published capture covers); everything after that line is the output byte for byte.
    """
    data = path.read_bytes()
    first, newline, rest = data.partition(b"\n")
    assert newline and first.startswith((b"# source: ", b"# constructed: ")), path
    return rest


class RecordedRunner(CommandRunner):
    """Answers each command with a recorded output, as the recorded system would.

    ``answers`` maps a piece of the command line to what the command printed; a command
    nothing matches fails the way a missing tool does.
    """

    def __init__(self, answers: dict[str, str]) -> None:
        super().__init__(path="")
        self.answers = answers

    def which(self, program: str) -> str | None:
        return program

    async def run(self, argv: list[str], *, timeout: float) -> CommandResult:
        command = " ".join(argv)
        for needle, output in self.answers.items():
            if needle in command:
                return CommandResult(tuple(argv), 0, output, "")
        return CommandResult(tuple(argv), 1, "", "not recorded")


def run(coroutine):
    return asyncio.run(coroutine)


def closed_port() -> int:
    """A loopback port where nothing listens (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loopback_settings(**overrides) -> DiagnosticsSettings:
    """Settings whose every address is on this machine, with short time limits."""
    values = {
        "gateway": "127.0.0.1",
        "gateway_ports": [closed_port()],
        "internet_endpoints": [f"127.0.0.1:{closed_port()}"],
        "dns_test_names": ["localhost"],
        "dns_servers": [],
        "modem_url": f"http://127.0.0.1:{closed_port()}/",
        "mail_servers": [],
        "smart_devices": [],
        "network_timeout_seconds": 2.0,
        "check_timeout_seconds": 20.0,
        "cpu_sample_seconds": 0.2,
    }
    values.update(overrides)
    return DiagnosticsSettings(**values)


class TcpServer:
    """A listening TCP socket on 127.0.0.1 whose connections a handler serves in threads."""

    def __init__(self, handler: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sock.settimeout(0.2)  # so the serving thread notices close() soon
        self.handler = handler
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the client went away: nothing to serve
            self.handler(conn)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        for conn in self.connections:
            conn.close()


def silent(conn: socket.socket) -> None:
    """Accepts, then says nothing: a server that hangs."""
    threading.Event().wait(30)


# --- DNS -------------------------------------------------------------------------------


class DnsServer:
    """A UDP DNS server on 127.0.0.1: answers A records, refuses, fails or stays silent."""

    def __init__(self, mode: str, address: str = "127.0.0.7") -> None:
        self.mode, self.address = mode, address
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.queries = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(512)
            except OSError:
                return
            self.queries += 1
            if self.mode == "silent":
                continue
            self.sock.sendto(self._reply(data), peer)

    def _reply(self, query: bytes) -> bytes:
        query_id = query[:2]
        question = query[12:]
        rcode = {"refused": 5, "servfail": 2, "nxdomain": 3}.get(self.mode, 0)
        answers = 1 if self.mode == "answer" else 0
        flags = 0x8180 | rcode
        header = query_id + struct.pack("!HHHHH", flags, 1, answers, 0, 0)
        body = question
        if answers:  # a pointer to the name in the question (offset 12), then an A record
            body += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(self.address)
        return header + body

    def close(self) -> None:
        self.sock.close()


# --- HTTP ------------------------------------------------------------------------------


# --- certificates ---------------------------------------------------------------------


@dataclass
class Certs:
    directory: Path
    ca_file: Path
    valid: tuple[Path, Path]
    expired: tuple[Path, Path]
    self_signed: tuple[Path, Path]
    wrong_name: tuple[Path, Path]


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def write_pair(directory: Path, stem: str, cert: x509.Certificate, key) -> tuple[Path, Path]:
    cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def certificate(subject, issuer, key, signing_key, not_before, not_after, names, ca=False):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


# --- running as an ordinary user --------------------------------------------------------


def run_as_nobody(func: Callable[[], object]) -> object:
    """``func()`` in a forked child that gave up root, its result pickled back.

    Access-denied conditions need a user the OS refuses; as root (in CI) the child
    drops to "nobody", as an ordinary user it already is refused.
    """
    if os.geteuid() != 0:
        return func()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        status = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            payload = pickle.dumps(("ok", func()))
        except BaseException as err:  # reported to the parent, which fails the test
            payload, status = pickle.dumps(("error", repr(err))), 1
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as source:
        payload = source.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(payload)
    if kind == "error":
        raise AssertionError(f"the unprivileged child failed: {value}")
    return value
