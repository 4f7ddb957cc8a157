"""The local API's guard: every request must come from the assistant's own page.

The server listens on 127.0.0.1, which every local program and every web page open in the
customer's browser can reach. So, before any route runs:

- Host must be `127.0.0.1:PORT` or `localhost:PORT`: a page on a domain the attacker
  re-points at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
- Origin, when sent, must be this server itself; `Sec-Fetch-Site`, when sent, must not say
  the request comes from another site (or another port of this host).
- The per-launch secret must come along: once in the start URL (`/?token=...`, or
  `/indicator?token=...` for the sharing indicator's window), which is
  exchanged for an HttpOnly, SameSite=Strict cookie and redirected to the clean URL, then in
  that cookie on every request.

A refusal is a 403 with a JSON error, answered here, so no route (and no change) runs. No
CORS headers are ever sent: other origins get nothing they may read.
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qs

from isp_common.security_headers import with_headers

TOKEN_PARAMETER = "token"
# The pages a window opens with the secret: the assistant, and the sharing indicator (a
# window of its own, with its own cookie store).
TOKEN_PAGES = ("/", "/indicator")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def cookie_name(port: int) -> str:
    # Cookies ignore ports: a name per port keeps two assistants (or an old tab) apart.
    return f"isp_assistant_{port}"


class LocalGuard:
    """ASGI middleware enforcing the rules above for one server (one port, one secret)."""

    def __init__(self, app, *, secret: str, port: int) -> None:
        self.app = app
        self.secret = secret.encode()
        self.port = port
        self.cookie = cookie_name(port)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self.refusal(scope, headers)
        if refusal:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008, "reason": refusal})
            else:
                await _send_json(send, 403, {"error": refusal})
            return
        if scope["path"] in TOKEN_PAGES and TOKEN_PARAMETER in _query(scope):
            await self._exchange_token(send, scope["path"])
            return
        await self.app(scope, receive, with_headers(send, SECURITY_HEADERS))

    def refusal(self, scope, headers: dict[str, str]) -> str | None:
        """Why this request is refused, or None when it may pass."""
        if headers.get("host", "").lower() not in self.hosts:
            return "wrong host: the assistant answers only on its loopback address"
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return "foreign origin: requests from other sites are refused"
        if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
            return "foreign origin: requests from other sites are refused"
        token = _query(scope).get(TOKEN_PARAMETER) if scope["path"] in TOKEN_PAGES else None
        presented = token if token is not None else _cookies(headers).get(self.cookie)
        if presented is None:
            return "missing secret: open the assistant from its own window"
        if not hmac.compare_digest(presented.encode(), self.secret):
            return "wrong secret: open the assistant from its own window"
        return None

    async def _exchange_token(self, send, path: str) -> None:
        cookie = (
            f"{self.cookie}={self.secret.decode()}; Path=/; HttpOnly; SameSite=Strict"
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", path.encode()),
                    (b"set-cookie", cookie),
                    (b"content-length", b"0"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _headers(scope) -> dict[str, str]:
    # Latin-1 is how HTTP/1.1 headers arrive; a repeated header keeps its first value.
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


def _query(scope) -> dict[str, str]:
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies.setdefault(name, value)
    return cookies


async def _send_json(send, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
