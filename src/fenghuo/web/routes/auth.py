"""Login, logout and the language switch.

The login form has its own CSRF defence (there is no session yet): a random double-submit
token in a cookie and a hidden field that must agree.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from fenghuo.core import audit, auth
from fenghuo.core.db import session_scope
from fenghuo.core.i18n import SUPPORTED_LOCALES, _, normalize_locale, set_locale
from fenghuo.core.models import User
from fenghuo.web.deps import LANG_COOKIE, SESSION_COOKIE, Caller, CsrfFailed, optional_caller, require_caller
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "fh_login_csrf"


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths (no open redirect to another host)."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(
    request: Request, error: str | None = None, status: int = 200, email: str = "", retry_after: int | None = None
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "auth/login.html",
        {"login_csrf": token, "error": error, "next": _safe_next(request.query_params.get("next")), "email": email},
        status=status,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def client_address(request: Request) -> str | None:
    """The peer address (a proxy in front must pass the client's own, e.g. uvicorn --proxy-headers)."""
    return request.client.host if request.client else None


@router.get("/login")
async def login_form(request: Request, caller: Caller | None = Depends(optional_caller)) -> Response:
    if caller is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


@router.post("/login")
async def login(
    request: Request,
    email: str = Form(...),
    password: str = Form(...),
    csrf_token: str = Form(""),
    next: str = Form("/"),  # noqa: A002 - the conventional field name
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        raise CsrfFailed()

    address = client_address(request)

    def attempt() -> tuple[str | None, str | None, int | None]:
        # The attempted e-mail is not the actor label: for an unknown account the log keeps only its hash.
        with session_scope(org_id=None, platform_admin=True, actor_label="login") as session:
            try:
                user = auth.authenticate(session, email, password, address=address)
            except auth.LoginError as exc:
                if exc.reason == "throttled":
                    # The same answer for every e-mail, existing or not.
                    return None, _("Too many failed attempts: wait %(n)s seconds before trying again.",
                                   n=exc.retry_after), exc.retry_after
                if exc.reason == "inactive":
                    return None, _("This account is disabled."), None
                return None, _("Wrong email or password."), None
            memberships = sorted(user.memberships, key=lambda m: m.id)
            org_id = memberships[0].organisation_id if memberships else None
            _row, cookie = auth.start_web_session(session, user, org_id)
            session.info["user_id"] = user.id
            session.info["actor_label"] = user.email
            audit.record(session, "login", "users", user.id, organisation_id=org_id, after={"address": address})
            return cookie, None, None

    cookie, error, retry_after = await run_in_threadpool(attempt)
    if cookie is None:
        status = 429 if retry_after is not None else 401
        return _login_page(request, error=error, status=status, email=email, retry_after=retry_after)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=request.url.scheme == "https",
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, caller: Caller = Depends(require_caller)) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")

    def end() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, platform_admin=True) as session:
            auth.end_web_session(session, cookie)
            audit.record(session, "logout", "users", caller.user_id)

    await run_in_threadpool(end)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang")
async def switch_language(
    request: Request, lang: str = Form(...), next: str = Form("/"),  # noqa: A002
    caller: Caller | None = Depends(optional_caller),
) -> Response:
    """Switch between zh-CN and English: stored on the user when logged in, else in a cookie."""
    locale = normalize_locale(lang)
    if locale not in SUPPORTED_LOCALES:
        locale = "en"
    if caller is not None:
        if caller.via == "session":
            from fenghuo.web.deps import check_csrf, csrf_form_token

            request.state.csrf_sent = await csrf_form_token(request)
            check_csrf(request, caller)

        def store() -> None:
            with session_scope(org_id=caller.org_id, user_id=caller.user_id, platform_admin=True) as session:
                user = session.get(User, caller.user_id)
                if user is not None:
                    user.locale = locale

        await run_in_threadpool(store)
    set_locale(locale)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, locale, samesite="lax", max_age=365 * 24 * 3600)
    return response
