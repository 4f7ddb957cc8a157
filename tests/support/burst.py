"""Many requests at once, each over its own connection, the way an attacker fires guesses in
parallel to slip past an attempt limit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

Send = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


def burst(base_url: str, count: int, send: Send, **client_options) -> list[httpx.Response]:
    """The answers to `count` requests that `send(client, number)` makes, all started
    together; `client_options` go to the httpx client (auth, cookies, headers)."""
    return asyncio.run(_burst(base_url, count, send, client_options))


async def _burst(base_url: str, count: int, send: Send, options: dict) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=120, **options
    ) as client:
        return await asyncio.gather(*(send(client, number) for number in range(count)))
