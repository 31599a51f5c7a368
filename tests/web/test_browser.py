"""Headless Chromium (Playwright, Debian's /usr/bin/chromium): log in, switch language, see the
dashboard in Chinese; a screenshot is saved to test-artifacts/ as evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.browserkit import ARTIFACTS, launch, serve, switch_language
from tests.webkit import PASSWORD, World

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(app, world: World) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from serve(app)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    yield from launch()


def test_login_switch_language_and_see_dashboard(browser, live_server: str, world: World) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-US")
    page.goto(f"{live_server}/")
    assert "/login" in page.url
    page.fill("#email", world.a.admin_email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#dashboard-title")
    assert page.inner_text("#dashboard-title") == "Dashboard"
    assert "Alpha Secret Org" in page.content()
    switch_language(page, "zh_CN")
    page.wait_for_selector("#dashboard-title")
    assert page.inner_text("#dashboard-title") == "工作台"
    assert page.inner_text("[data-nav=tm]") == "风险预警"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-zh.png"), full_page=True)
    assert (ARTIFACTS / "dashboard-zh.png").stat().st_size > 1000
    # The choice persists: a reload is still in Chinese.
    page.reload()
    assert page.inner_text("#dashboard-title") == "工作台"
    page.close()


def test_wrong_password_shows_the_reason(browser, live_server: str, world: World) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", world.a.admin_email)
    page.fill("#password", "wrong-password")
    page.click("#login-submit")
    assert "Wrong email or password" in page.inner_text("[role=alert]")
    page.close()


def test_watch_from_the_browser_and_review_an_alert(browser, live_server: str, world: World,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    """The early-warning main path: upload a portfolio, run the watch, open the alert, review it."""
    from fenghuo.tm.ingest import ingest_paths
    from tests.tm_store.conftest import PORTFOLIO_CSV, REGISTER_CSV

    register = tmp_path / "register.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    ingest_paths([register])
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text(PORTFOLIO_CSV, encoding="utf-8")
    page = browser.new_page(locale="en-US")
    page.goto(f"{live_server}/login")
    page.fill("#email", world.a.admin_email)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#dashboard-title")
    page.click("[data-nav=tm]")
    page.wait_for_selector("#tm-title")
    page.goto(f"{live_server}/tm/portfolio")
    page.set_input_files("#import-form input[type=file]", str(portfolio))
    page.click("#import-form button")
    page.wait_for_selector("#marks")
    assert "王老吉" in page.inner_text("#marks")
    page.goto(f"{live_server}/tm")
    page.click("#run-now")
    page.wait_for_selector("#runs")
    page.goto(f"{live_server}/tm/alerts?office=EM")
    page.click("#alerts a:text('WONG LO KAT')")
    page.wait_for_selector("#reasons")
    assert "Cantonese" in page.inner_text("#reasons")
    assert "opposition" in page.inner_text("#remedy")
    page.select_option("#s-state", "action_taken")
    page.click("#state-form button")
    page.wait_for_selector("#alert-state")
    assert page.inner_text("#alert-state").lower() == "action taken"
    switch_language(page, "zh_CN")
    page.wait_for_selector("#side-by-side")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alert-zh.png"), full_page=True)
    assert "王老吉" in page.inner_text("#side-by-side")
    page.close()
