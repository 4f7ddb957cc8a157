"""Security headers on every HTTP answer of the product's two web servers: the
assistant's local page and the support portal.

Each server names its own list; `with_headers` puts them on a response unless the route
set that header itself. The Content-Security-Policy allows scripts and styles only from
the server's own files: text a customer or an agent typed that slipped into a page as
markup still could not run, and no other site may show the pages in a frame (where a
click on "Issue unlock code" could be stolen).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

Header = tuple[bytes, bytes]
Send = Callable[[dict], Awaitable[None]]


def with_headers(send: Send, headers: Iterable[Header]) -> Send:
    """`send` of an ASGI response, with `headers` added to its start."""
    headers = list(headers)

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _value in message.get("headers", [])}
            extra = [(name, value) for name, value in headers if name not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped
