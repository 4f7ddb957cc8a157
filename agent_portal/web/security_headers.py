"""The portal's security headers (see `isp_common.security_headers`), as ASGI middleware.

Every page's scripts and styles are files under /static, and chat and presence use a
WebSocket to the portal itself, so the policy allows only the portal's own origin. The
interactive API docs are the exception: FastAPI's pages load Swagger UI and ReDoc from a
CDN with an inline script, so they get every header but the policy.
"""

from __future__ import annotations

from isp_common.security_headers import with_headers

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
PAGES = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()), *ALWAYS]


class SecurityHeaders:
    def __init__(self, app, *, docs_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.docs_paths = tuple(path for path in docs_paths if path)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        headers = ALWAYS if path.startswith(self.docs_paths) else PAGES
        await self.app(scope, receive, with_headers(send, headers))
