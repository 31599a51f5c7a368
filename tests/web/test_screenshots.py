"""Screenshots of the main page of each module, for each kind of organisation, in both languages
(issue #17, point 10b), taken with Debian's Chromium on the demo data and saved under
test-artifacts/screenshots/ (git-ignored) for a person to look at.

Each page must fit a 1280 px laptop (no horizontal scrolling) with a header one line high, and the
dashboard must stay usable on a 768 px tablet (the header collapses behind its menu button)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from fenghuo.demo import DEMO_PASSWORD, PLATFORM_ADMIN
from tests.web.browserkit import ARTIFACTS, launch, login, serve, switch_language
from tests.webkit import demo_app_in

pytestmark = [
    pytest.mark.browser,
    # The pages look the same on either database: CI's PostgreSQL pass skips the second, identical run.
    pytest.mark.skipif(bool(os.environ.get("FENGHUO_TEST_DATABASE_URL")),
                       reason="screenshots are taken on the SQLite pass (the demo runs on SQLite)"),
]

SHOTS = ARTIFACTS / "screenshots"

#: One demo account per kind of organisation (fenghuo.demo.DEMO_USERS).
ACCOUNTS = {
    "enterprise": "admin@demo.fenghuo.test",
    "guidance_centre": "centre@demo.fenghuo.test",
    "exhibition_station": "station@demo.fenghuo.test",
    "insurer": "insurer@demo.fenghuo.test",
    "administration": "plans@demo.fenghuo.test",
    "platform_admin": PLATFORM_ADMIN,
}
LANGS = ("en", "zh_CN")
#: A header on one line is one row of links: well under two rows (~2 × 50 px).
MAX_HEADER_PX = 72


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo loaded into a throwaway FENGHUO_HOME (SQLite), served on a loopback port."""
    with demo_app_in(tmp_path_factory.mktemp("screenshots-home")) as app:
        yield from serve(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


def _layout(page: Any) -> dict[str, float]:
    return page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth,
        header: document.querySelector('nav.fh-navbar').getBoundingClientRect().height,
        links: Array.from(document.querySelectorAll('.fh-navbar .nav-link'))
                    .filter(a => a.offsetParent !== null)
                    .map(a => Math.round(a.getBoundingClientRect().top)),
    })""")


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "dashboard"


@pytest.mark.parametrize("kind", list(ACCOUNTS))
def test_module_pages_fit_a_laptop_in_both_languages(browser: Any, demo_server: str, kind: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    problems: list[str] = []
    taken = 0
    for lang in LANGS:
        # The browser's own language matches the page's (date pickers, file inputs).
        context = browser.new_context(locale="zh-CN" if lang == "zh_CN" else "en-US",
                                      viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        login(page, demo_server, ACCOUNTS[kind], DEMO_PASSWORD)
        switch_language(page, lang)
        modules = page.eval_on_selector_all(".fh-navbar [data-nav]", "els => els.map(e => e.getAttribute('href'))")
        assert modules and modules[0] == "/", f"{kind}: no module navigation"
        for path in modules:
            response = page.goto(f"{demo_server}{path}")
            status = response.status if response is not None else None
            if status != 200:
                problems.append(f"{kind} {lang} {path}: HTTP {status}")
            page.wait_for_load_state("load")
            layout = _layout(page)
            name = f"{kind}-{lang}-{_slug(path)}.png"
            page.screenshot(path=str(SHOTS / name), full_page=True)
            taken += 1
            if layout["scrollWidth"] > 1280:
                problems.append(f"{name}: page is {layout['scrollWidth']} px wide at 1280")
            tops = layout["links"]
            if layout["header"] > MAX_HEADER_PX or (tops and max(tops) - min(tops) > 12):
                problems.append(f"{name}: header wraps ({layout['header']} px high, link tops {sorted(set(tops))})")
        if lang != LANGS[-1]:
            context.close()
    # A tablet: the header collapses behind its button and the dashboard still fits.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{demo_server}/")
    assert page.is_visible(".fh-navbar .navbar-toggler") and not page.is_visible(".fh-navbar [data-nav]")
    tablet = _layout(page)
    page.screenshot(path=str(SHOTS / f"{kind}-tablet-dashboard.png"), full_page=True)
    if tablet["scrollWidth"] > 768:
        problems.append(f"{kind} tablet dashboard is {tablet['scrollWidth']} px wide at 768")
    page.click(".fh-navbar .navbar-toggler")
    page.wait_for_selector(".fh-navbar [data-nav='dashboard']", state="visible")
    context.close()
    assert taken >= 2 * len(LANGS)
    assert not errors, errors
    assert not problems, "\n".join(problems)
