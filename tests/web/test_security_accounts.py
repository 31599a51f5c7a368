"""Issue #9 (accounts): membership by consent, login throttling, password policy, token expiry, audit.

Each test first replays what the outside probe did, through the HTTP API or the pages.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from fenghuo.core import auth, orgs
from fenghuo.core.db import session_scope
from fenghuo.core.models import ApiToken, AuditEntry, Invitation, LoginThrottle, User
from tests.webkit import PASSWORD, World, bearer, csrf_of, login


def _audit(action: str, org_id: int | None = None) -> list[AuditEntry]:
    with session_scope(org_id=None, platform_admin=True) as s:
        stmt = select(AuditEntry).where(AuditEntry.action == action)
        if org_id is not None:
            stmt = stmt.where(AuditEntry.organisation_id == org_id)
        return list(s.scalars(stmt.order_by(AuditEntry.id)))


def _invite(client: TestClient, world: World, email: str, role: str = "member"):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/organisations/{world.a.org_id}/invitations", json={"email": email, "role": role},
                       headers=bearer(world.a.write_token))


# --- a. membership by invitation ---------------------------------------------------------------------------------

def test_org_admin_cannot_add_an_existing_user_without_consent(client: TestClient, world: World) -> None:
    members_url = f"/api/v1/organisations/{world.a.org_id}/members"
    # The probe: add Beta's admin by e-mail (was 201, with name and last login).
    r = client.post(members_url, json={"email": world.b.admin_email}, headers=bearer(world.a.write_token))
    assert r.status_code == 403
    names = {m["email"] for m in client.get(members_url, headers=bearer(world.a.write_token)).json()}
    assert world.b.admin_email not in names


def test_invitation_answer_is_the_same_for_known_and_unknown_addresses(client: TestClient, world: World) -> None:
    known = _invite(client, world, world.b.admin_email)
    unknown = _invite(client, world, "no-such-person@example.com")
    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json())
    assert known.json()["status"] == unknown.json()["status"] == "pending"
    # Nothing of the invited account leaks: not its name, not its last login, not its id.
    text = known.text + client.get(f"/api/v1/organisations/{world.a.org_id}/invitations",
                                   headers=bearer(world.a.write_token)).text
    assert "beta admin" not in text and "last_login" not in text and "user_id" not in text
    # Page too: the pending invitation shows only the typed address.
    login(client, world.a.admin_email)
    page = client.get("/admin/members").text
    assert world.b.admin_email in page and "beta admin" not in page


def test_invitee_sees_and_accepts_then_the_org_sees_the_member(client: TestClient, world: World) -> None:
    inv = _invite(client, world, world.b.admin_email, "viewer").json()
    mine = client.get("/api/v1/invitations", headers=bearer(world.b.write_token)).json()
    assert [(i["id"], i["organisation"], i["role"]) for i in mine] == [(inv["id"], world.a.org_name, "viewer")]
    # Another user cannot answer it (same 404 as a missing one).
    assert client.post(f"/api/v1/invitations/{inv['id']}/accept",
                       headers=bearer(world.a.write_token)).status_code == 404
    r = client.post(f"/api/v1/invitations/{inv['id']}/accept", headers=bearer(world.b.write_token))
    assert r.status_code == 200 and r.json() == {"organisation_id": world.a.org_id,
                                                 "organisation": world.a.org_name, "role": "viewer"}
    members = client.get(f"/api/v1/organisations/{world.a.org_id}/members", headers=bearer(world.a.write_token)).json()
    assert any(m["email"] == world.b.admin_email and m["display_name"] == "beta admin" for m in members)
    assert client.get("/api/v1/invitations", headers=bearer(world.b.write_token)).json() == []
    assert [e.object_id for e in _audit("invite", world.a.org_id)] == [str(inv["id"])]
    assert [e.object_id for e in _audit("invite_accept", world.a.org_id)] == [str(inv["id"])]


def test_a_viewer_elsewhere_may_accept_but_a_read_token_may_not(client: TestClient, world: World) -> None:
    inv = _invite(client, world, world.b.viewer_email).json()
    with session_scope(org_id=None, platform_admin=True) as s:
        viewer = s.scalar(select(User).where(User.email == world.b.viewer_email))
        assert viewer is not None
        from fenghuo.core import tokens

        _r, read_only = tokens.create_token(s, viewer, world.b.org_id, "ro", "read")
        _w, writer = tokens.create_token(s, viewer, world.b.org_id, "rw", "read write")
    assert client.post(f"/api/v1/invitations/{inv['id']}/accept", headers=bearer(read_only)).status_code == 403
    r = client.post(f"/api/v1/invitations/{inv['id']}/accept", headers=bearer(writer))
    assert r.status_code == 200 and r.json()["organisation_id"] == world.a.org_id


def test_decline_revoke_and_expiry(client: TestClient, world: World) -> None:
    first = _invite(client, world, world.b.admin_email).json()
    assert client.post(f"/api/v1/invitations/{first['id']}/decline",
                       headers=bearer(world.b.write_token)).status_code == 204
    assert client.post(f"/api/v1/invitations/{first['id']}/accept",
                       headers=bearer(world.b.write_token)).status_code == 409
    second = _invite(client, world, world.b.admin_email).json()
    url = f"/api/v1/organisations/{world.a.org_id}/invitations/{second['id']}"
    assert client.delete(url, headers=bearer(world.b.write_token)).status_code == 404  # not B's organisation
    assert client.delete(url, headers=bearer(world.a.write_token)).status_code == 204
    assert client.post(f"/api/v1/invitations/{second['id']}/accept",
                       headers=bearer(world.b.write_token)).status_code == 409
    third = _invite(client, world, world.b.admin_email).json()
    with session_scope(org_id=None, platform_admin=True) as s:
        s.execute(update(Invitation).where(Invitation.id == third["id"])
                  .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert client.get("/api/v1/invitations", headers=bearer(world.b.write_token)).json() == []
    r = client.post(f"/api/v1/invitations/{third['id']}/accept", headers=bearer(world.b.write_token))
    assert r.status_code == 409 and "expired" in r.json()["detail"]
    listed = client.get(f"/api/v1/organisations/{world.a.org_id}/invitations", headers=bearer(world.a.write_token))
    assert {i["status"] for i in listed.json()} == {"declined", "revoked", "expired"}
    assert len(_audit("invite_decline", world.a.org_id)) == 1 and len(_audit("invite_revoke", world.a.org_id)) == 1
    default = datetime.fromisoformat(first["expires_at"]) - datetime.fromisoformat(first["created_at"])
    assert default == timedelta(days=14)


def test_unknown_address_waits_and_is_accepted_on_the_account_page(client: TestClient, world: World) -> None:
    assert _invite(client, world, "Later@Example.com").status_code == 201
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_user(s, "later@example.com", PASSWORD, display_name="Later Person")
    login(client, "later@example.com")
    page = client.get("/account")
    assert world.a.org_name in page.text
    inv_id = re.search(r'/account/invitations/(\d+)/accept', page.text)
    assert inv_id
    r = client.post(f"/account/invitations/{inv_id.group(1)}/accept", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 200
    with session_scope(org_id=None, platform_admin=True) as s:
        user = s.scalar(select(User).where(User.email == "later@example.com"))
        assert user is not None and orgs.role_in(s, user.id, world.a.org_id) is not None


def test_invitation_mail_goes_to_known_and_unknown_alike(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fenghuo.core.mail as mail

    sent: list[tuple[str, str]] = []
    monkeypatch.setenv("FENGHUO_SMTP_HOST", "smtp.invalid")
    monkeypatch.setattr(mail, "send_mail", lambda to, subject, body: sent.append((to, subject)))
    _invite(client, world, world.b.admin_email)
    _invite(client, world, "stranger@example.com")
    assert [to for to, _s in sent] == [world.b.admin_email, "stranger@example.com"]
    assert all(world.a.org_name in subject for _t, subject in sent)


def test_org_admin_page_invites_instead_of_adding(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/admin/members").text)
    r = client.post("/admin/members", data={"email": world.b.admin_email, "role": "member",
                                            "password": PASSWORD, "csrf_token": csrf})
    assert r.status_code == 200
    with session_scope(org_id=None, platform_admin=True) as s:
        beta = s.scalar(select(User).where(User.email == world.b.admin_email))
        assert beta is not None and orgs.role_in(s, beta.id, world.a.org_id) is None
    members_table = r.text.split('id="members"')[1].split("</table>")[0]
    assert world.b.admin_email not in members_table and "beta admin" not in r.text


def test_role_change_and_removal_are_audited(client: TestClient, world: World) -> None:
    viewer = world.a.admin_id + 1
    url = f"/api/v1/organisations/{world.a.org_id}/members/{viewer}"
    r = client.patch(url, json={"role": "member"}, headers=bearer(world.a.write_token))
    assert r.status_code == 200 and r.json()["role"] == "member"
    assert client.patch(f"/api/v1/organisations/{world.a.org_id}/members/999", json={"role": "member"},
                        headers=bearer(world.a.write_token)).status_code == 404
    assert client.delete(url, headers=bearer(world.a.write_token)).status_code == 204
    log = client.get("/api/v1/audit?object_type=memberships", headers=bearer(world.a.write_token)).json()
    assert {"update", "delete"} <= {e["action"] for e in log}


# --- b. login ----------------------------------------------------------------------------------------------------

def _post_login(client: TestClient, email: str, password: str = "wrong-password"):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)})


def _strip(html: str) -> str:
    """The page without its random CSRF values and the seconds to wait (they tick between two requests)."""
    return re.sub(r"\d+ seconds", "N seconds", re.sub(r'value="[^"]*"', "", html))


@pytest.fixture
def slow_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first wait of ten minutes: a slow test run must not outlast it."""
    monkeypatch.setattr(auth, "THROTTLE_BASE_DELAY", timedelta(minutes=10))


def test_known_and_unknown_accounts_get_identical_answers(
    client: TestClient, world: World, slow_throttle: None
) -> None:
    for attempt in range(auth.ACCOUNT_FREE_FAILURES + 1):
        known = _post_login(client, world.platform_email)
        unknown = _post_login(client, "ghost@example.com")
        assert known.status_code == unknown.status_code, attempt
        assert _strip(known.text) == _strip(unknown.text)
        assert ("retry-after" in known.headers) == ("retry-after" in unknown.headers)
    assert known.status_code == 429 and "locked" not in known.text
    assert 590 <= int(known.headers["retry-after"]) <= 600 and 590 <= int(unknown.headers["retry-after"]) <= 600


def test_platform_admin_cannot_be_locked_out_for_15_minutes(
    client: TestClient, world: World, slow_throttle: None
) -> None:
    for _ in range(auth.ACCOUNT_FREE_FAILURES):
        _post_login(client, world.platform_email)
    assert _post_login(client, world.platform_email, PASSWORD).status_code == 429
    # The wait (1 s here) passes: shift it into the past instead of sleeping.
    with session_scope(org_id=None, platform_admin=True) as s:
        s.execute(update(LoginThrottle).values(blocked_until=datetime.now(UTC) - timedelta(seconds=1)))
    login(client, world.platform_email)


def test_password_spray_from_one_address_is_throttled(client: TestClient, world: World, slow_throttle: None) -> None:
    statuses = [_post_login(client, f"user{i}@example.com").status_code for i in range(40)]
    assert statuses[: auth.ADDRESS_FREE_FAILURES] == [401] * auth.ADDRESS_FREE_FAILURES
    assert set(statuses[auth.ADDRESS_FREE_FAILURES:]) == {429}


def test_every_failure_is_audited_with_user_and_organisation(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _post_login(client, world.a.admin_email)
    _post_login(client, "Ghost@Example.com")
    failures = _audit("login_failed")
    known = [e for e in failures if e.object_id == str(world.a.admin_id)]
    assert known and known[0].organisation_id == world.a.org_id and (known[0].after or {})["address"] == "testclient"
    unknown = [e for e in failures if e.object_id is None]
    assert unknown and (unknown[0].after or {})["email_sha256"] == auth.sha256("ghost@example.com")
    with session_scope(org_id=None, platform_admin=True) as s:
        raw = [e for e in s.scalars(select(AuditEntry)) if "ghost" in str(e.after) + e.actor_label + str(e.note)]
    assert raw == []  # the attempted unknown address is never stored in clear
    monkeypatch.setattr(auth, "THROTTLE_BASE_DELAY", timedelta(minutes=10))
    for _ in range(auth.ACCOUNT_FREE_FAILURES):
        _post_login(client, world.a.admin_email)
    assert [e.organisation_id for e in _audit("login_throttled")] == [world.a.org_id]
    login_entries = client.get("/api/v1/audit?action=login_failed", headers=bearer(world.a.write_token)).json()
    assert len(login_entries) == auth.ACCOUNT_FREE_FAILURES  # the org admin sees them in the org's log


# --- c. passwords ------------------------------------------------------------------------------------------------

def _make_root_admin_of_b(world: World) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        root = s.scalar(select(User).where(User.email == world.platform_email))
        assert root is not None
        orgs.change_role(s, world.b.org_id, root.id, "admin")


@pytest.mark.parametrize("password", ["1234567890", " " * 10, "x" * 129, "password1234"])
def test_weak_passwords_are_refused_through_the_api(client: TestClient, world: World, password: str) -> None:
    _make_root_admin_of_b(world)
    r = client.post(f"/api/v1/organisations/{world.b.org_id}/members",
                    json={"email": "weak@example.com", "password": password}, headers=bearer(world.platform_token))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"


def test_password_change_errors_beside_the_field(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/account").text)
    r = client.post("/account/password", data={"current": PASSWORD, "new": "1234567890", "csrf_token": csrf})
    assert r.status_code == 422 and 'id="new-error"' in r.text and "12" in r.text
    assert "1234567890" not in r.text  # passwords are never echoed
    r = client.post("/account/password", data={"current": "not-it", "new": "violet tractor umbrella",
                                               "csrf_token": csrf})
    assert r.status_code == 422 and 'id="current-error"' in r.text
    r = client.post("/account/password", data={"current": PASSWORD, "new": "violet tractor umbrella",
                                               "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert [e.object_id for e in _audit("password_change", world.a.org_id)] == [str(world.a.admin_id)]
    client.cookies.clear()
    login(client, world.a.admin_email, "violet tractor umbrella")


def test_password_change_in_chinese(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/").text)
    client.post("/lang", data={"lang": "zh_CN", "next": "/", "csrf_token": csrf})
    r = client.post("/account/password", data={"current": PASSWORD, "new": "abc", "csrf_token": csrf})
    assert r.status_code == 422 and "密码" in r.text.split('id="new-error"')[1][:200]


# --- d. token expiry ---------------------------------------------------------------------------------------------

def test_tokens_expire_and_expired_use_is_refused_and_audited(client: TestClient, world: World) -> None:
    created = client.post("/api/v1/tokens", json={"name": "ci", "scopes": "read", "expires_in_days": 7},
                          headers=bearer(world.a.write_token)).json()
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=bearer(world.a.write_token)).json()}
    assert listed[created["id"]]["expires_at"] and listed[created["id"]]["expired"] is False
    assert client.get("/api/v1/me", headers=bearer(created["token"])).status_code == 200
    with session_scope(org_id=None, platform_admin=True) as s:
        s.execute(update(ApiToken).where(ApiToken.id == created["id"])
                  .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    r = client.get("/api/v1/me", headers=bearer(created["token"]))
    assert r.status_code == 401
    entries = _audit("token_expired_use", world.a.org_id)
    assert [e.object_id for e in entries] == [str(created["id"])]
    day = (date.today() + timedelta(days=100)).isoformat()
    on = client.post("/api/v1/tokens", json={"name": "dated", "expires_on": day},
                     headers=bearer(world.a.write_token)).json()
    assert on["expires_at"].startswith(f"{day}T23:59:59")
    never = client.post("/api/v1/tokens", json={"name": "forever"}, headers=bearer(world.a.write_token)).json()
    assert never["expires_at"] is None


@pytest.mark.parametrize("body,field", [
    ({"expires_in_days": 0}, "expires_in_days"),
    ({"expires_in_days": 10**12}, "expires_in_days"),
    ({"expires_on": "2001-01-01"}, "expires_on"),
    ({"expires_on": "2099-01-01"}, "expires_on"),  # beyond ten years
    ({"expires_in_days": 3, "expires_on": "2030-01-01"}, "expires_in_days"),
])
def test_bad_expiry_names_the_field(client: TestClient, world: World, body: dict[str, object], field: str) -> None:
    r = client.post("/api/v1/tokens", json={"name": "x", **body}, headers=bearer(world.a.write_token))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


def test_token_expiry_on_the_account_page(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/account").text)
    r = client.post("/account/tokens", data={"name": "page-token", "scopes": "read", "expires_in_days": "abc",
                                             "csrf_token": csrf})
    assert r.status_code == 422 and 'id="token-days-error"' in r.text and 'value="page-token"' in r.text
    from fenghuo.core.formatting import fmt_date

    day = date.today() + timedelta(days=30)
    r = client.post("/account/tokens", data={"name": "page-token", "scopes": "read", "expires_on": day.isoformat(),
                                             "csrf_token": csrf})
    # The expiry is shown as a date in the reader's language (the token expires at the end of that UTC day).
    assert r.status_code == 200 and "fh_" in r.text and fmt_date(day, "en") in r.text


# --- e. audit of security events ---------------------------------------------------------------------------------

def test_csrf_failure_is_audited_in_the_organisation(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    assert client.post("/account/tokens", data={"name": "x", "scopes": "read"}).status_code == 403
    entries = _audit("csrf_failed", world.a.org_id)
    assert len(entries) == 1 and entries[0].actor_user_id == world.a.admin_id
    assert (entries[0].after or {})["path"] == "/account/tokens"


def test_organisation_switch_is_audited_in_both(client: TestClient, world: World) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.add_member(s, world.b.org_id, world.a.admin_id, "viewer")
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/").text)
    assert client.post("/switch-org", data={"org_id": world.b.org_id, "csrf_token": csrf}).status_code == 200
    for org in (world.a.org_id, world.b.org_id):
        entries = _audit("switch_org", org)
        assert len(entries) == 1 and entries[0].after == {"organisation_id": world.b.org_id}


def test_logout_and_token_lifecycle_are_audited(client: TestClient, world: World) -> None:
    created = client.post("/api/v1/tokens", json={"name": "tmp"}, headers=bearer(world.a.write_token)).json()
    client.delete(f"/api/v1/tokens/{created['id']}", headers=bearer(world.a.write_token))
    assert client.get("/api/v1/me", headers=bearer(created["token"])).status_code == 401
    log = client.get("/api/v1/audit?object_type=api_tokens", headers=bearer(world.a.write_token)).json()
    actions = [e["action"] for e in log if e["object_id"] == str(created["id"])]
    assert {"create", "update", "token_revoked_use"} <= set(actions)
    login(client, world.a.admin_email)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    assert [e.organisation_id for e in _audit("logout")] == [world.a.org_id]
