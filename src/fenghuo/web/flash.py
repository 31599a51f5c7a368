"""One-time confirmations after a successful form post ("flash" messages).

Why a signed cookie and not a server-side session: the app keeps no per-request session store
and a confirmation is a few words the user's own browser carries to the next page. The cookie is
signed with the installation secret (so no one can make the site display a text of their
choosing), lives for one redirect (the base layout shows it and the response deletes it) and is
HttpOnly/SameSite=Lax like the session cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from fenghuo.core.settings import get_settings

FLASH_COOKIE = "fenghuo_flash"
KINDS = ("success", "info", "warning", "danger")


def _sign(payload: bytes) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"flash:" + payload, hashlib.sha256).hexdigest()[:32]


def flash(response: Response, message: str, kind: str = "success") -> Response:
    """Attach ``message`` to ``response`` (usually a redirect); the next page shows it once."""
    if kind not in KINDS:
        kind = "info"
    payload = base64.urlsafe_b64encode(json.dumps([kind, message], ensure_ascii=False).encode()).decode()
    response.set_cookie(FLASH_COOKIE, f"{payload}.{_sign(payload.encode())}", max_age=300, httponly=True,
                        samesite="lax", path="/")
    return response


def redirect(url: str, message: str, kind: str = "success") -> RedirectResponse:
    """A 303 redirect to ``url`` that shows ``message`` there."""
    response = RedirectResponse(url, status_code=303)
    flash(response, message, kind)
    return response


def read(request: Request) -> list[tuple[str, str]]:
    """The pending message (``[(kind, text)]`` or ``[]``); marks it consumed so the response drops it."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return []
    request.state.flash_consumed = True
    payload, signature = raw.rsplit(".", 1)
    if not hmac.compare_digest(signature, _sign(payload.encode())):
        return []
    try:
        kind, message = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, TypeError):
        return []
    return [(str(kind) if kind in KINDS else "info", str(message))]


def finish(request: Request, response: Response) -> None:
    """Delete the cookie once a page has shown the message (called by the app's middleware)."""
    if getattr(request.state, "flash_consumed", False) and response.status_code < 300:
        response.delete_cookie(FLASH_COOKIE, path="/")


def install(env: Any) -> None:
    """Make ``flash_messages(request)`` available to templates (the base layout shows them)."""
    env.globals["flash_messages"] = read
