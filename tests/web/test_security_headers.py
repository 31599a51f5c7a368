"""Hardening of every response (issue #9): a Content-Security-Policy without inline scripts or
styles, a Permissions-Policy switching off device APIs, templates that need neither, and the API
docs page served from vendored assets only. The browser test loads the main pages in Chromium and
fails on any CSP violation the page reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fenghuo.web.app import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from tests.web.browserkit import CSP_LISTENER, launch, login, serve, switch_language
from tests.webkit import PASSWORD, World
from tests.webkit import login as client_login

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "fenghuo" / "web" / "templates"
STATIC_JS = TEMPLATES.parent / "static" / "js"

PAGES = ("/", "/tm", "/tm/alerts", "/tm/portfolio", "/tm/runs", "/tm/settings", "/disputes", "/disputes/stats",
         "/disputes/stations", "/disputes/insurance", "/disputes/notifications", "/filing", "/filing/calendar",
         "/filing/pph", "/plans", "/owed", "/admin/members", "/admin/audit", "/admin/grants", "/reference",
         "/account")


def _directives(policy: str) -> dict[str, str]:
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def test_policy_forbids_inline_code_and_framing() -> None:
    d = _directives(CONTENT_SECURITY_POLICY)
    assert d["script-src"] == "'self'" and d["style-src"] == "'self'" and d["default-src"] == "'self'"
    assert d["frame-ancestors"] == "'none'" and d["object-src"] == "'none'" and d["base-uri"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_every_response_carries_the_headers(client: TestClient, world: World) -> None:
    anonymous = [client.get("/login"), client.get("/static/css/fenghuo.css"), client.get("/health"),
                 client.get("/no-such-page"), client.get("/api/docs")]
    client_login(client, world.a.admin_email)
    pages = [client.get(p) for p in PAGES]
    failed = [(r.url.path, r.status_code) for r in pages if r.status_code != 200]
    assert not failed, failed
    for r in anonymous + pages:
        assert r.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, r.url
        assert r.headers.get("permissions-policy") == PERMISSIONS_POLICY, r.url
        assert r.headers.get("x-content-type-options") == "nosniff"
        assert r.headers.get("x-frame-options") == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HX_ON = re.compile(r"\shx-on[:-]", re.I)
STYLE_TAG = re.compile(r"<style\b", re.I)


def test_no_template_needs_inline_code() -> None:
    """Scan every template: the CSP would block inline scripts, handlers and style attributes."""
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 30
    problems = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for name, rx in (("inline <script>", INLINE_SCRIPT), ("on*= handler", EVENT_HANDLER),
                         ("style= attribute", STYLE_ATTR), ("hx-on attribute", HX_ON), ("<style> element", STYLE_TAG)):
            if rx.search(text):
                problems.append(f"{path.relative_to(TEMPLATES)}: {name}")
    assert not problems, problems


def test_scanner_catches_what_it_should() -> None:
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert EVENT_HANDLER.search('<button type="button" onclick="x()">') and not EVENT_HANDLER.search('<a data-on="1">')
    assert STYLE_ATTR.search('<div class="a" style="width:1px">') and HX_ON.search('<form hx-on::after-request="x">')


def test_base_layout_configures_htmx_for_csp(client: TestClient) -> None:
    page = client.get("/login").text
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,"allowEval":false}\'>' in page
    assert not INLINE_SCRIPT.search(page) and not STYLE_ATTR.search(page)
    assert (STATIC_JS / "fenghuo.js").is_file()


def test_api_docs_load_only_same_origin_assets(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert not INLINE_SCRIPT.search(r.text), "the docs page must not inline its start-up script"
    urls = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    for u in urls:
        assert client.get(u).status_code == 200, u
    assert 'data-openapi-url="/api/openapi.json"' in r.text
    assert client.get("/api/openapi.json").status_code == 200


# ---- In the browser: zero CSP violations on the main pages ----------------------------------------


@pytest.fixture
def live_server(app, world: World) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from serve(app)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    yield from launch()


@pytest.mark.browser
def test_main_pages_raise_no_csp_violation(browser, live_server: str, world: World) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    login(page, live_server, world.a.admin_email, PASSWORD)
    violations: list[str] = []
    visited = 0
    for lang in ("en", "zh_CN"):
        if lang == "zh_CN":
            page.goto(f"{live_server}/")
            switch_language(page, "zh_CN")
        for path in PAGES + ("/api/docs",):
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("load")
            if path == "/api/docs":
                page.wait_for_selector(".swagger-ui .info", timeout=20000)
            visited += 1
            violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []")]
    seen_console = list(console)
    # The listener does see a violation: an injected inline script is refused and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_function("window.__cspViolations.length > 0")
    canary = page.evaluate("window.__cspViolations")
    assert canary and "script-src" in canary[0], canary
    # The header menus work under the CSP (Bootstrap's script is allowed): the account menu opens.
    page.goto(f"{live_server}/")
    page.click("#account-toggle")
    assert page.is_visible("#logout")
    context.close()
    assert visited == 2 * (len(PAGES) + 1)
    assert not violations, violations
    csp_console = [c for c in seen_console if "Content Security Policy" in c or "Refused to" in c
                   or "Permissions-Policy" in c or "Failed to load resource" in c]
    assert not csp_console, csp_console
    assert not [c for c in seen_console if c.startswith("pageerror")], seen_console
