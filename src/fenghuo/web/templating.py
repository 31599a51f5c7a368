"""Jinja2 environment with Babel's i18n extension bound to the request's locale."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from fenghuo.core import i18n

TEMPLATE_DIR = Path(__file__).parent / "templates"

NAV: tuple[tuple[str, i18n.LazyString, str], ...] = (
    # (path, label, key) — labels are translated when rendered
    ("/", i18n.lazy_gettext("Dashboard"), "dashboard"),
    ("/tm", i18n.lazy_gettext("Early warning"), "tm"),
    ("/disputes", i18n.lazy_gettext("Disputes"), "disputes"),
    ("/filing", i18n.lazy_gettext("Filing"), "filing"),
    ("/plans", i18n.lazy_gettext("Plans"), "plans"),
    ("/admin", i18n.lazy_gettext("Administration"), "admin"),
)


def _fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Babel's newstyle gettext: {{ _("Hello %(name)s", name=x) }} autoescapes and formats.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: i18n.translations(i18n.get_locale()).gettext(s),
        lambda s, p, n: i18n.translations(i18n.get_locale()).ngettext(s, p, n),
        newstyle=True,
    )
    env.filters["date"] = _fmt_date
    env.globals["NAV"] = NAV
    return env


ENV = _make_env()


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """Render ``template`` with the request, the caller and the locale in the context."""
    caller = getattr(request.state, "caller", None)
    ctx = {
        "request": request,
        "caller": caller,
        "locale": getattr(request.state, "locale", "en"),
        "csrf_token": caller.csrf_token if caller is not None else "",
        "path": request.url.path,
    }
    if context:
        ctx.update(context)
    return HTMLResponse(ENV.get_template(template).render(ctx), status_code=status)
