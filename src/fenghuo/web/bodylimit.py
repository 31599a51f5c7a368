"""A cap on request bodies, enforced before the application sees the request.

Why in the ASGI layer: FastAPI reads and parses a form or JSON body while resolving a route's
parameters — before the dependency that checks the login runs. A 300 MB upload to any route
was therefore read (and spooled to disk) in full just to answer 401. This middleware sits
outside everything else and

* refuses a declared ``Content-Length`` above the cap at once, without reading a byte;
* counts the bytes of ``http.request`` messages as the application pulls them and, past the
  cap, ends the body and replaces whatever the application would answer with a 413.

Uploads get a larger cap per route (:data:`UPLOAD_ROUTES`); every other body gets
``limits().request_body_bytes``. Both come from :mod:`fenghuo.core.limits` (environment
overrides included).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fenghuo.core.limits import limits

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Routes that take files (or a whole plan's text): path pattern → the limits attribute of
#: their cap. Add a route here when it gains an ``UploadFile``.
UPLOAD_ROUTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), "upload_body_bytes")
    for pattern in (
        r"/api/v1/tm/marks/import",
        r"/tm/portfolio/import",
        r"/api/v1/disputes/events/import",
        r"/disputes/events/import",
        r"/api/v1/disputes/cases/\d+/documents",
        r"/disputes/cases/\d+/documents",
        r"/api/v1/policy/progress/\d+/evidence",
        r"/progress/\d+/evidence",
        r"/tasks/\d+/progress",
        r"/plans/\d+/progress",
        r"/api/v1/policy/plans",
        r"/api/v1/filing/pph/claims",
        r"/filing/pph",
        r"/plans",
    )
)


def body_cap(path: str) -> int:
    """The largest body accepted on ``path`` (bytes)."""
    caps = limits()
    for pattern, attribute in UPLOAD_ROUTES:
        if pattern.fullmatch(path):
            return int(getattr(caps, attribute))
    return caps.request_body_bytes


Refusal = Callable[[Scope, int], Awaitable[tuple[int, list[tuple[bytes, bytes]], bytes]]]


class BodySizeLimit:
    """Pure ASGI middleware (no request object, no buffering): see the module docstring.

    ``refusal`` builds the 413 response (status, headers, body) for a scope; the app supplies
    one that answers a problem object on the API and the error page elsewhere.
    """

    def __init__(self, app: ASGIApp, refusal: Refusal | None = None) -> None:
        self.app = app
        self.refusal = refusal or _plain_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = body_cap(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > cap:
            await self._refuse(scope, send, cap)
            return

        received = 0
        too_large = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    # Stop feeding the app: to it the client went away. Its answer is dropped
                    # below and the 413 sent instead.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._refuse(scope, send, cap)

    async def _refuse(self, scope: Scope, send: Send, cap: int) -> None:
        status, headers, body = await self.refusal(scope, cap)
        await send({"type": "http.response.start", "status": status,
                    "headers": [*headers, (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _plain_refusal(scope: Scope, cap: int) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"type": "about:blank", "title": "Request body too large", "status": 413,
                       "detail": f"The limit is {cap} bytes."}).encode()
    return 413, [(b"content-type", b"application/problem+json")], body
