"""Name lookups: through the system's resolver, and straight to a given DNS server.

The system resolver (``getaddrinfo``) is what every program on the computer uses, so its
answer is what the customer experiences. Asking a DNS server directly (a minimal RFC 1035
client over UDP, standard library only) tells apart "the router's DNS is down" from "the
provider's DNS is down", and shows a server that refuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import secrets
import socket
import struct
import time

import idna

from assistant.diagnostics.blocking import in_thread
from isp_common.diagnostics.facts import DnsLookup

_RCODES = {2: "server_failure", 3: "not_found", 5: "refused"}
_TYPE_A, _TYPE_AAAA, _CLASS_IN = 1, 28, 1


def split_host_port(value: str, default_port: int) -> tuple[str, int]:
    """ "1.2.3.4", "1.2.3.4:5353", "[::1]:53", "::1" -> (host, port)."""
    if value.startswith("["):
        host, _sep, rest = value[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if value.count(":") == 1:
        host, port = value.split(":")
        return host, int(port)
    return value, default_port


def build_query(name: str, query_id: int, qtype: int = _TYPE_A) -> bytes:
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)  # recursion desired
    # IDNA 2008 with UTS 46 mapping, as browsers and resolvers do: Python's own "idna"
    # codec is IDNA 2003, which asks for "strasse.de" when the name is "straße.de".
    ascii_name = idna.encode(name.rstrip("."), uts46=True)
    labels = b"".join(bytes([len(part)]) + part for part in ascii_name.split(b".") if part)
    return header + labels + b"\0" + struct.pack("!HH", qtype, _CLASS_IN)


def _skip_name(data: bytes, offset: int) -> int:
    while True:
        length = data[offset]
        if length & 0xC0 == 0xC0:  # compression pointer: two bytes, ends the name
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length


def parse_response(data: bytes, query_id: int) -> tuple[int, list[str]]:
    """(response code, addresses) of a reply; ValueError for a reply to something else."""
    if len(data) < 12:
        raise ValueError("short DNS reply")
    reply_id, flags, questions, answers = struct.unpack("!HHHH", data[:8])
    if reply_id != query_id or not flags & 0x8000:
        raise ValueError("not a reply to our query")
    offset = 12
    for _ in range(questions):
        offset = _skip_name(data, offset) + 4
    addresses = []
    for _ in range(answers):
        offset = _skip_name(data, offset)
        rtype, _rclass, _ttl, length = struct.unpack("!HHIH", data[offset : offset + 10])
        offset += 10
        rdata = data[offset : offset + length]
        offset += length
        if rtype == _TYPE_A and length == 4:
            addresses.append(socket.inet_ntop(socket.AF_INET, rdata))
        elif rtype == _TYPE_AAAA and length == 16:
            addresses.append(socket.inet_ntop(socket.AF_INET6, rdata))
    return flags & 0xF, addresses


class _Reply(asyncio.DatagramProtocol):
    def __init__(self, query_id: int) -> None:
        self.query_id = query_id
        self.answer: asyncio.Future[tuple[int, list[str]]] = (
            asyncio.get_running_loop().create_future()
        )

    def datagram_received(self, data: bytes, addr) -> None:
        if self.answer.done():
            return
        # A stray or broken packet is ignored: keep waiting for the real reply.
        with contextlib.suppress(ValueError, IndexError, struct.error):
            self.answer.set_result(parse_response(data, self.query_id))

    def error_received(self, exc: Exception) -> None:
        # On a connected UDP socket the OS reports "port unreachable" as ECONNREFUSED.
        if not self.answer.done():
            self.answer.set_exception(exc)


async def query_server(server: str, name: str, timeout: float) -> DnsLookup:
    """Asks one DNS server (``host`` or ``host:port``, an IP address) for ``name``'s A record."""
    host, port = split_host_port(server, 53)
    family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    query_id = secrets.randbits(16)
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    transport = None
    try:
        transport, protocol = await loop.create_datagram_endpoint(
            lambda: _Reply(query_id), remote_addr=(host, port), family=family
        )
        transport.sendto(build_query(name, query_id))
        rcode, addresses = await asyncio.wait_for(protocol.answer, timeout)
    except TimeoutError:
        return _failed(name, server, "timeout", None)
    except ConnectionRefusedError as err:
        return _failed(name, server, "refused", str(err))
    except OSError as err:
        return _failed(name, server, "error", str(err))
    finally:
        if transport is not None:
            transport.close()
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    if rcode in _RCODES:
        return DnsLookup(
            name=name, resolver=server, ok=False, time_ms=elapsed, error=_RCODES[rcode]
        )
    if rcode != 0:
        return DnsLookup(
            name=name,
            resolver=server,
            ok=False,
            time_ms=elapsed,
            error="error",
            detail=f"rcode {rcode}",
        )
    if not addresses:
        return DnsLookup(name=name, resolver=server, ok=False, time_ms=elapsed, error="no_answer")
    return DnsLookup(name=name, resolver=server, ok=True, addresses=addresses, time_ms=elapsed)


async def resolve_system(name: str, timeout: float) -> DnsLookup:
    """Looks ``name`` up the way every program on this computer does."""
    started = time.perf_counter()
    try:
        infos = await asyncio.wait_for(
            in_thread(socket.getaddrinfo, name, None, 0, socket.SOCK_STREAM), timeout
        )
    except TimeoutError:
        return _failed(name, "system", "timeout", None)
    except socket.gaierror as err:
        if err.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            error = "not_found"
        elif err.errno == socket.EAI_AGAIN:  # no DNS server answered
            error = "timeout"
        else:
            error = "error"
        return _failed(name, "system", error, str(err))
    except OSError as err:
        return _failed(name, "system", "error", str(err))
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return DnsLookup(name=name, resolver="system", ok=True, addresses=addresses, time_ms=elapsed)


def _failed(name: str, resolver: str, error: str, detail: str | None) -> DnsLookup:
    return DnsLookup(name=name, resolver=resolver, ok=False, error=error, detail=detail)
