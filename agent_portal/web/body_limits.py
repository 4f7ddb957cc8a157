"""Limits the size of request bodies before anything reads them, as ASGI middleware.

Each request falls into a route class (`RouteClass`: JSON API, portal forms, chat
attachments), and each class has its own limit from the settings. A body whose
Content-Length is over the limit is refused at once, unread; a body sent without a length
(chunked) is counted as the application reads it, and refused the moment it passes the
limit. Either way the answer is 413 with a JSON body naming the limit, and the connection
is closed (`Connection: close`), so the server stops receiving the rest instead of reading
it to the end. This runs before authentication: an anonymous client cannot make the server
read more than the limit.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from agent_portal.config import PortalSettings
from isp_common.premium_wire import ApiErrorBody, ErrorCode


@dataclass(frozen=True)
class RouteClass:
    """Requests whose path matches `path` may send bodies of at most `max_bytes(settings)`
    bytes (read from the settings at each request, like every other setting)."""

    name: str
    path: re.Pattern[str]
    max_bytes: Callable[[PortalSettings], int]


@dataclass(frozen=True)
class Limit:
    name: str
    max_bytes: int


# First match wins; the last one matches every path.
ROUTE_CLASSES = (
    # The file itself, and room for the form around it (its text and framing).
    RouteClass(
        "chat attachment",
        re.compile(r"/portal/chats/[^/]+/attachments", re.DOTALL),
        lambda settings: settings.chat_attachment_max_bytes + settings.form_max_body_bytes,
    ),
    # An expert's photo, and the profile form around it.
    RouteClass(
        "expert profile",
        re.compile(r"/portal/expert/profile", re.DOTALL),
        lambda settings: settings.expert_photo_max_bytes + settings.form_max_body_bytes,
    ),
    RouteClass(
        "JSON API", re.compile(r"/api/.*", re.DOTALL), lambda settings: settings.api_max_body_bytes
    ),
    # Paths may hold any character, a line break too (hence DOTALL throughout).
    RouteClass("portal form", re.compile(r".*", re.DOTALL), lambda s: s.form_max_body_bytes),
)


class BodyTooLarge(Exception):
    """The body passed the limit while the application was reading it."""


class BodyLimits:
    def __init__(
        self, app, *, settings: PortalSettings, classes: tuple[RouteClass, ...] = ROUTE_CLASSES
    ) -> None:
        self.app = app
        self.settings = settings
        self.classes = classes

    def limit_for(self, path: str) -> Limit:
        found = next(found for found in self.classes if found.path.fullmatch(path))
        return Limit(found.name, found.max_bytes(self.settings))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit.max_bytes:
            await _refuse(send, limit)
            return
        await _CountedRequest(self.app, limit).run(scope, receive, send)


class _CountedRequest:
    """One request whose body is counted as it is read."""

    def __init__(self, app, limit: Limit) -> None:
        self.app = app
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.response_started = False

    async def run(self, scope, receive, send) -> None:
        async def counted_receive():
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit.max_bytes:
                    self.exceeded = True
                    raise BodyTooLarge(self.limit.name)
            return message

        async def guarded_send(message) -> None:
            # Whatever the application answers after its read failed (a parse error, say)
            # is replaced by the 413 below. (An answer already under way when the body
            # passed the limit is cut off: no route here answers before reading.)
            if self.exceeded:
                return
            if message["type"] == "http.response.start":
                self.response_started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):  # answered just below
            await self.app(scope, counted_receive, guarded_send)
        if self.exceeded and not self.response_started:
            await _refuse(send, self.limit)


def _content_length(scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before we get here
    return None


async def _refuse(send, limit: Limit) -> None:
    body = (
        ApiErrorBody(
            detail=(
                f"The request body is too large: a {limit.name} request may send at most "
                f"{limit.max_bytes} bytes."
            ),
            code=ErrorCode.BODY_TOO_LARGE,
            max_bytes=limit.max_bytes,
        )
        .model_dump_json(exclude_defaults=True)
        .encode()
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
