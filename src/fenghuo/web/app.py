"""The FastAPI application: server-rendered pages, the JSON API under /api/v1, health.

Errors: API paths answer RFC 9457 problem objects (``application/problem+json``) with an
``errors`` list naming record and field for validation failures; pages render a friendly,
translated error page. Anonymous page requests that need a login are redirected to /login.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from fenghuo import __version__
from fenghuo.core.errors import Conflict, FenghuoError, NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _, normalize_locale, reset_locale, set_locale
from fenghuo.web import flash, forms
from fenghuo.web.bodylimit import BodySizeLimit
from fenghuo.web.deps import LANG_COOKIE, AuthRequired, CsrfFailed, Forbidden, resolve_caller
from fenghuo.web.openapi import install_openapi
from fenghuo.web.templating import ENV as TEMPLATES_ENV
from fenghuo.web.templating import render

STATIC_DIR = Path(__file__).parent / "static"
SWAGGER_UI_VERSION = "5.35.0"  # static/vendor/swagger-ui-<version>/, from the npm package swagger-ui-dist

# Every response forbids inline scripts, inline event handlers, inline styles, eval and framing:
# a stored text that slips past escaping still cannot run. Page behaviour lives in static/js/.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


_SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fenghuo API</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui-{version}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="/static/vendor/swagger-ui-{version}/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script>
</body>
</html>
"""


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(status: int, title: str, detail: str = "", errors: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(request, "errors/error.html", {"status": status, "title": title, "detail": detail}, status=status)


def _respond(
    request: Request, status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None
) -> Response:
    if _is_api(request):
        return problem(status, title, detail, errors)
    return _error_page(request, status, title, detail)


def _audit_csrf_failure(request: Request) -> None:
    """Audit a refused CSRF check (a forged cross-site request, or a stale form) with who and where."""
    import logging

    from fenghuo.core import audit
    from fenghuo.core.db import session_scope

    caller = getattr(request.state, "caller", None)
    try:
        with session_scope(org_id=caller.org_id if caller else None, user_id=caller.user_id if caller else None,
                           actor_label=caller.email if caller else "anonymous", platform_admin=True) as session:
            audit.record(session, "csrf_failed", "requests", None, after={
                "method": request.method, "path": request.url.path,
                "address": request.client.host if request.client else None,
            })
    except Exception:  # noqa: BLE001 - the 403 must still be answered
        logging.getLogger("fenghuo.web").exception("could not audit a CSRF failure")


def _allowed_methods(request: Request) -> str:
    """RFC 9110: a 405 names every method the resource supports.

    Starlette's own ``Allow`` lists only the first route whose path matched, while one path is
    often served by several routes (GET and POST of a collection are separate functions).
    """
    from starlette.routing import Match

    methods = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            methods.append(method)
    return ", ".join(methods)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AuthRequired)
    async def _auth_required(request: Request, _exc: AuthRequired) -> Response:
        if _is_api(request):
            if getattr(request.state, "bad_token", False):
                return problem(401, _("Invalid or revoked API token"))
            return problem(401, _("Authentication required"), _("Send an API token as 'Authorization: Bearer …'."))
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _respond(request, 403, _("Forbidden"), exc.message)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(_audit_csrf_failure, request)
        return _respond(request, 403, _("The form has expired"), _("Reload the page and try again (CSRF check)."))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _respond(request, 404, _("Not found"), str(exc))

    @app.exception_handler(PermissionDenied)
    async def _denied(request: Request, exc: PermissionDenied) -> Response:
        return _respond(request, 403, _("Forbidden"), str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> Response:
        kept = await forms.rerender(request, [{"record": None, "field": None, "message": str(exc)}], status=409)
        return kept or _respond(request, 409, _("Conflict"), str(exc))

    @app.exception_handler(ValidationFailed)
    async def _invalid(request: Request, exc: ValidationFailed) -> Response:
        # A page form keeps what was typed: the same page again, the message beside the field.
        kept = await forms.rerender(request, [exc.as_problem_item()])
        return kept or _respond(request, 422, _("Invalid input"), exc.message, [exc.as_problem_item()])

    @app.exception_handler(FenghuoError)
    async def _other(request: Request, exc: FenghuoError) -> Response:
        return _respond(request, 400, _("Request failed"), str(exc))

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "record": None,
                "field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")),
                "message": str(err.get("msg", "")),
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        kept = await forms.rerender(request, forms.problem_items_from_request_errors(exc.errors()))
        return kept or _respond(request, 422, _("Invalid input"), detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: _("Not found"), 405: _("Method not allowed"), 413: _("Upload too large"),
                  415: _("Unsupported file type")}
        title = titles.get(exc.status_code, _("Request failed"))
        generic = ("Not Found", "Method Not Allowed")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in generic else ""
        response = _respond(request, exc.status_code, title, detail)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = _allowed_methods(request)
        return response

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, _exc: OverflowError) -> Response:
        # Safety net behind web.params: SQLite refuses an int past 2^63 while binding it. Path ids
        # are bounded before this, so the number came from a body or query value (a year, an
        # amount): the request's fault, a 422.
        return _respond(request, 422, _("Invalid input"), _("A number in the request is out of range."))

    @app.exception_handler(DataError)
    async def _data_error(request: Request, _exc: DataError) -> Response:
        # PostgreSQL refused a value (a number out of range, a text longer than its column):
        # the request's fault, so a 422 rather than a 500; the transaction was rolled back.
        return _respond(request, 422, _("Invalid input"), _("A value in the request is out of range or too long."))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        import logging

        logging.getLogger("fenghuo.web").exception("unhandled error on %s", request.url.path)
        return _respond(request, 500, _("Internal error"), _("The error was logged."))


async def _body_refusal(scope: dict[str, Any], cap: int) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The 413 of :class:`BodySizeLimit`: a problem object on the API, the error page elsewhere.

    Runs outside the locale middleware (nothing of the request was read), so the language
    comes from the cookie or Accept-Language, as it does before login.
    """
    request = Request(scope)
    locale = request.cookies.get(LANG_COOKIE) or request.headers.get("accept-language", "en").split(",")[0]
    request.state.locale = normalize_locale(locale)
    token = set_locale(request.state.locale)
    try:
        mb = max(cap // (1024 * 1024), 1)
        response = _respond(request, 413, _("Request too large"),
                            _("The request is larger than %(n)s MB.", n=mb) if cap >= 1024 * 1024
                            else _("The request is larger than %(n)s bytes.", n=cap))
    finally:
        reset_locale(token)
    headers = [(k, v) for k, v in response.raw_headers if k.lower() != b"content-length"]
    return 413, headers, bytes(response.body)


def create_app() -> FastAPI:
    """Build the application (one per process; tests build their own)."""
    app = FastAPI(
        title="Fenghuo API",
        version=__version__,
        description="Overseas IP early warning, filing planning, dispute response and plan tracking.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by _docs below from vendored assets (the default page loads a CDN)
        redoc_url=None,
    )

    @app.middleware("http")
    async def locale_middleware(request: Request, call_next: Any) -> Response:
        # The user's stored choice wins; before login a cookie, then Accept-Language.
        from starlette.concurrency import run_in_threadpool

        locale = request.cookies.get(LANG_COOKIE) or request.headers.get("accept-language", "en").split(",")[0]
        if not request.url.path.startswith("/static"):
            try:
                caller = await run_in_threadpool(resolve_caller, request)
            except Exception:  # noqa: BLE001 - an auth failure must not break the error page
                caller = None
            if caller is not None:
                locale = caller.locale
        request.state.locale = normalize_locale(locale)
        token = set_locale(request.state.locale)
        try:
            response: Response = await call_next(request)
        finally:
            reset_locale(token)
        flash.finish(request, response)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    # Outermost: a body over the cap is refused before any other middleware or route runs.
    app.add_middleware(BodySizeLimit, refusal=_body_refusal)

    _install_error_handlers(app)
    install_openapi(app)
    flash.install(TEMPLATES_ENV)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/api/docs", include_in_schema=False)
    async def _docs() -> HTMLResponse:
        # FastAPI's get_swagger_ui_html inlines its start-up script, which the CSP forbids.
        return HTMLResponse(_SWAGGER_PAGE.format(version=SWAGGER_UI_VERSION, openapi=app.openapi_url))

    from fenghuo.web.routes import ROUTERS, load_routers

    load_routers()
    for router in ROUTERS:
        app.include_router(router)
    return app
