"""Jinja2 environment with Babel's i18n extension bound to the request's locale."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from fenghuo.core import formatting, i18n, labels
from fenghuo.deadlines.opposition import localized_next_remedies
from fenghuo.reference import citations
from fenghuo.web.nav import nav_items

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


# Paths of the pages that belong to a module but do not start with its NAV path: the header
# highlights the module the page belongs to.
_SECTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/tm", "tm"),
    ("/disputes", "disputes"),
    ("/filing", "filing"),
    ("/plans", "plans"), ("/tasks", "plans"), ("/indicators", "plans"), ("/annual-plans", "plans"),
    ("/annual-items", "plans"), ("/evaluations", "plans"), ("/owed", "plans"), ("/progress", "plans"),
    ("/admin", "admin"), ("/reference", "admin"),
)

# Versions of the vendored front-end assets (static/vendor/, see its README.md).
BOOTSTRAP_VERSION = "5.3.9"
HTMX_VERSION = "2.0.4"


def active_section(path: str) -> str:
    """The NAV key of the module a page belongs to ("dashboard" for /, "" when none)."""
    if path == "/":
        return "dashboard"
    for prefix, key in _SECTION_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return key
    return ""


def active_nav(items: Any, path: str) -> str:
    """The key of the header entry to highlight: the entry whose path is the longest prefix of
    ``path`` (so /disputes/stations lights "stations" when the account has that entry, "disputes"
    otherwise), else the module the page belongs to (/tasks/… → plans)."""
    best, best_len = "", -1
    for href, _label, key in items:
        if (path == href or (href != "/" and path.startswith(href.rstrip("/") + "/"))) and len(href) > best_len:
            best, best_len = key, len(href)
    return best or active_section(path)


def _fmt_date(value: date | datetime | None) -> str:
    """The old ``|date`` filter: a date-time in the reader's zone and locale, a date in the locale."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formatting.fmt_datetime(value)
    return formatting.fmt_date(value)


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
    # Labels and locale formatting (fenghuo.core.labels / .formatting): one source for pages, PDFs, exports.
    env.globals["label"] = labels.label
    env.globals["label_choices"] = labels.choices
    env.globals["audit_sentence"] = labels.audit_sentence
    env.globals["DIMENSION_CATEGORIES"] = labels.DIMENSION_CATEGORIES
    env.filters["tr"] = labels.retranslate
    env.filters["fmt_date"] = formatting.fmt_date
    env.filters["fmt_datetime"] = formatting.fmt_datetime
    env.filters["fmt_number"] = formatting.fmt_number
    env.filters["fmt_money"] = formatting.fmt_money
    env.filters["relative_days"] = formatting.relative_days
    env.filters["deadline_text"] = formatting.deadline_text
    env.globals["days_between"] = formatting.days_between
    env.globals["next_remedies"] = localized_next_remedies
    env.globals["cite"] = citations.cite
    env.globals["cite_basis"] = citations.from_basis
    env.globals["NAV"] = NAV
    env.globals["active_section"] = active_section
    env.globals["active_nav"] = active_nav
    env.globals["BOOTSTRAP_VERSION"] = BOOTSTRAP_VERSION
    env.globals["HTMX_VERSION"] = HTMX_VERSION
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
        # Path and query of this page, for "come back here" forms (language switch).
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        # Only the modules this caller may open and that fit its organisation (fenghuo.web.nav).
        "NAV": nav_items(caller),
    }
    if context:
        ctx.update(context)
    return HTMLResponse(ENV.get_template(template).render(ctx), status_code=status)
