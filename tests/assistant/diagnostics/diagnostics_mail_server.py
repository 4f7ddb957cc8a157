"""Mail servers on 127.0.0.1 for the mail check: IMAP, POP3 and SMTP, just enough of each
for a real client to greet, ask for the capabilities and start TLS (implicit or by
STARTTLS/STLS), and a server whose greeting is one endless line.

A handler serves one connection of a `TcpServer`; `mail_handler` makes one.
"""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

GREETINGS = {
    "imap": b"* OK IMAP4rev1 ready\r\n",
    "pop3": b"+OK POP3 ready\r\n",
    "smtp": b"220 mail.example-isp.test ESMTP\r\n",
}
MULTI_LINE_SMTP_GREETING = (
    b"220-mail.example-isp.test ESMTP\r\n"
    b"220-Only for customers of Example ISP.\r\n"
    b"220 Unsolicited bulk mail is refused.\r\n"
)


class _Dialogue:
    """One client's session: answers each command line as the protocol's server would."""

    def __init__(self, protocol: str, offer_tls: bool, refuse_tls: bool) -> None:
        self.protocol = protocol
        self.offer_tls = offer_tls
        self.refuse_tls = refuse_tls
        self.tls = False

    def answer(self, line: bytes) -> tuple[bytes, str]:
        """The reply to one line, and what follows: "more", "tls" or "end"."""
        answer = {"imap": self._imap, "pop3": self._pop3, "smtp": self._smtp}[self.protocol]
        return answer(line.rstrip(b"\r\n"))

    @property
    def _tls_offered(self) -> bool:
        return self.offer_tls and not self.tls

    def _imap(self, line: bytes) -> tuple[bytes, str]:
        tag, _, rest = line.partition(b" ")
        command = rest.split(b" ")[0].upper()
        if command == b"CAPABILITY":
            listed = b"IMAP4rev1" + (b" STARTTLS" if self._tls_offered else b"")
            return b"* CAPABILITY " + listed + b"\r\n" + tag + b" OK done\r\n", "more"
        if command == b"STARTTLS" and self._tls_offered:
            if self.refuse_tls:
                return tag + b" NO not now\r\n", "more"
            return tag + b" OK begin TLS\r\n", "tls"
        if command == b"LOGOUT":
            return b"* BYE\r\n" + tag + b" OK bye\r\n", "end"
        return tag + b" BAD unknown command\r\n", "more"

    def _pop3(self, line: bytes) -> tuple[bytes, str]:
        command = line.split(b" ")[0].upper()
        if command == b"CAPA":
            return b"+OK\r\nUSER\r\n" + (
                b"STLS\r\n" if self._tls_offered else b""
            ) + b".\r\n", "more"
        if command == b"STLS" and self._tls_offered:
            if self.refuse_tls:
                return b"-ERR not now\r\n", "more"
            return b"+OK begin TLS\r\n", "tls"
        if command == b"QUIT":
            return b"+OK bye\r\n", "end"
        return b"-ERR unknown command\r\n", "more"

    def _smtp(self, line: bytes) -> tuple[bytes, str]:
        command = line.split(b" ")[0].upper()
        if command == b"EHLO":
            if self._tls_offered:
                return b"250-mail.example-isp.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n", "more"
            return b"250-mail.example-isp.test\r\n250 PIPELINING\r\n", "more"
        if command == b"HELO":
            return b"250 mail.example-isp.test\r\n", "more"
        if command == b"STARTTLS" and self._tls_offered:
            if self.refuse_tls:
                return b"454 TLS not available\r\n", "more"
            return b"220 go ahead\r\n", "tls"
        if command == b"QUIT":
            return b"221 bye\r\n", "end"
        return b"502 unknown command\r\n", "more"


def mail_handler(
    protocol: str,
    cert: tuple[Path, Path],
    starttls: bool,
    refuse_tls: bool = False,
    offer_tls: bool = True,
    greeting: bytes | None = None,
):
    """A server of ``protocol``: implicit TLS, or plain text offering STARTTLS (STLS).

    ``offer_tls=False`` leaves STARTTLS out of the capabilities; ``refuse_tls`` lists it
    and answers the command with an error.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)

    def handle(conn: socket.socket) -> None:
        dialogue = _Dialogue(protocol, offer_tls=starttls and offer_tls, refuse_tls=refuse_tls)
        if not starttls:
            conn = context.wrap_socket(conn, server_side=True)
            dialogue.tls = True
        conn.sendall(greeting or GREETINGS[protocol])
        reader = conn.makefile("rb")
        while line := reader.readline(4096):
            reply, then = dialogue.answer(line)
            conn.sendall(reply)
            if then == "end":
                break
            if then == "tls":  # lock-step: the client sent nothing after the command
                conn = context.wrap_socket(conn, server_side=True)
                dialogue.tls = True
                reader = conn.makefile("rb")
        conn.close()

    return handle


class EndlessLine:
    """A server whose greeting is one line that never ends, sent as fast as it is read.

    ``sent`` holds, per connection, how much of the line went out before the client hung
    up; a client that reads it all would get ``LIMIT`` bytes (far more than any line).
    """

    LIMIT = 512 * 1024 * 1024

    def __init__(self, start: bytes) -> None:
        self.start = start
        self.sent: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, conn: socket.socket) -> None:
        with self._lock:
            index = len(self.sent)
            self.sent.append(0)
        chunk = b"x" * 65536
        conn.sendall(self.start)
        while self.sent[index] < self.LIMIT:
            conn.sendall(chunk)  # raises once the client has hung up
            self.sent[index] += len(chunk)
