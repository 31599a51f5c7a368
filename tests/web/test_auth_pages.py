"""Login, logout, lockout, CSRF, language switch, pages and problem responses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.webkit import PASSWORD, World, csrf_of, login


def test_pages_need_login(client: TestClient, world: World) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_login_sets_httponly_session_and_dashboard_shows(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    cookie = client.cookies.get("fh_session")
    assert cookie
    page = client.get("/")
    assert page.status_code == 200 and "Alpha Secret Org" in page.text


def test_wrong_password_then_throttled_with_the_same_answer_for_unknown_accounts(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from fenghuo.core import auth

    # A first wait long enough that a slow machine (argon2 under load) cannot outlast it between two posts.
    monkeypatch.setattr(auth, "THROTTLE_BASE_DELAY", timedelta(minutes=10))
    for email in (world.a.admin_email, "nobody@example.com"):
        for _ in range(4):
            page = client.get("/login")
            r = client.post("/login", data={"email": email, "password": "nope", "csrf_token": csrf_of(page.text)})
            assert r.status_code == 401 and "Wrong email or password" in r.text
        page = client.get("/login")
        r = client.post("/login", data={"email": email, "password": "nope", "csrf_token": csrf_of(page.text)})
        assert r.status_code == 401 and "locked" not in r.text
        # The next attempt must wait — even with the right password — and says so the same way for both.
        page = client.get("/login")
        r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)})
        assert r.status_code == 429 and "Too many failed attempts" in r.text and int(r.headers["retry-after"]) >= 1


def test_login_form_requires_its_csrf_token(client: TestClient, world: World) -> None:
    client.get("/login")
    r = client.post("/login", data={"email": world.a.admin_email, "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403


def test_forms_require_csrf(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    r = client.post("/account/tokens", data={"name": "x", "scopes": "read"})
    assert r.status_code == 403
    csrf = csrf_of(client.get("/account").text)
    r = client.post("/account/tokens", data={"name": "x", "scopes": "read", "csrf_token": csrf})
    assert r.status_code == 200 and "fh_" in r.text


def test_logout_ends_the_server_session(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    cookie = client.cookies.get("fh_session")
    csrf = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set("fh_session", cookie or "")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_language_switch_persists_for_the_user(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/").text)
    r = client.post("/lang", data={"lang": "zh_CN", "next": "/", "csrf_token": csrf})
    assert "工作台" in r.text
    # A new login (new session, no language cookie) still gets Chinese: stored on the user.
    client.cookies.clear()
    login(client, world.a.admin_email)
    assert "工作台" in client.get("/").text


def test_anonymous_language_from_accept_language(client: TestClient, world: World) -> None:
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert "Log in" in client.get("/login", headers={"Accept-Language": "en-GB"}).text


def test_members_page_is_for_admins(client: TestClient, world: World) -> None:
    login(client, world.a.viewer_email)
    assert client.get("/admin/members").status_code == 403
    client.cookies.clear()
    login(client, world.a.admin_email)
    page = client.get("/admin/members")
    assert page.status_code == 200 and world.a.viewer_email in page.text and world.b.admin_email not in page.text


def test_admin_invites_a_member_and_changes_role(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/admin/members").text)
    r = client.post("/admin/members", data={"email": "new@example.com", "role": "member", "csrf_token": csrf})
    assert r.status_code == 200 and "new@example.com" in r.text and "awaiting acceptance" in r.text
    r = client.post("/admin/members", data={"email": "not-an-address", "role": "member", "csrf_token": csrf})
    assert r.status_code == 422 and "not-an-address" in r.text
    viewer_id = world.a.admin_id + 1
    r = client.post(f"/admin/members/{viewer_id}/role", data={"role": "member", "csrf_token": csrf})
    assert r.status_code == 200


def test_audit_page_filters_and_shows_only_own_org(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/admin/audit?action=login")
    assert page.status_code == 200 and "login" in page.text
    assert "beta-admin@example.com" not in page.text
    assert client.get("/admin/audit?since=yesterday").status_code == 422


def test_platform_admin_creates_organisations(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    assert client.get("/admin/organisations").status_code == 403
    client.cookies.clear()
    login(client, world.platform_email)
    csrf = csrf_of(client.get("/admin/organisations").text)
    r = client.post("/admin/organisations", data={"name": "Gamma Station", "kind": "exhibition_station",
                                                  "csrf_token": csrf})
    assert r.status_code == 200 and "Gamma Station" in r.text


def test_module_pages_say_what_they_do(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    for path in ("/disputes", "/filing", "/plans"):
        page = client.get(path)
        assert page.status_code == 200 and "fenghuo" in page.text


def test_error_page_is_friendly(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Back to the dashboard" in page.text
