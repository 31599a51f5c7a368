"""Dispute notification webhooks go through the outbound gate: refused when saved (API, page),
and a stored one that points inside is dropped at send without reaching anything (issue #9)."""

from __future__ import annotations

import http.server
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fenghuo.core.db import session_scope
from fenghuo.disputes import notify
from fenghuo.disputes.models import Notification, NotificationPreference
from tests.webkit import World, bearer, csrf_of, login

INSIDE = ["http://127.0.0.1:8799/internal-admin", "https://127.0.0.1/x", "https://169.254.169.254/latest/",
          "https://[::ffff:10.0.0.1]/x", "https://localhost:8443/x", "https://100.100.100.200/x"]


@pytest.mark.parametrize("url", INSIDE)
def test_api_refuses_inside_webhooks(client: TestClient, world: World, url: str) -> None:
    r = client.put("/api/v1/disputes/notifications/preferences", headers=bearer(world.a.write_token),
                   json={"email_mode": "off", "webhook_url": url})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "webhook_url"


def test_page_refuses_inside_webhooks(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/disputes/notifications")
    r = client.post("/disputes/notifications/preferences", data={
        "csrf_token": csrf_of(page.text), "email_mode": "off", "webhook_url": "http://127.0.0.1:8799/internal-admin"})
    assert r.status_code == 422 and "https://" in r.text
    with session_scope(org_id=world.a.org_id) as s:
        assert notify.get_preferences(s, world.a.admin_id) is None


def test_a_stored_inside_webhook_reaches_nothing_and_is_dropped(world: World,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FENGHUO_OUTBOUND_ALLOW", raising=False)
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
            s.add(NotificationPreference(user_id=world.a.admin_id, email_mode="off", webhook_secret="old",
                                         webhook_url=f"http://127.0.0.1:{httpd.server_address[1]}/internal-admin"))
            s.add(Notification(kind="dispute_alert", title="t"))
        assert notify.deliver(world.a.org_id) == 0
        with session_scope(org_id=world.a.org_id) as s:
            dropped = notify.get_preferences(s, world.a.admin_id)
            assert dropped is not None and dropped.webhook_url is None
        # Allow-listed explicitly, the same local receiver is reached (on-premise installations).
        monkeypatch.setenv("FENGHUO_OUTBOUND_ALLOW", "127.0.0.1")
        with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
            pref = notify.set_preferences(s, world.a.admin_id, email=None, email_mode="off",
                                          webhook_url=f"http://127.0.0.1:{httpd.server_address[1]}/hook")
            s.add(Notification(kind="dispute_alert", title="t2"))
            assert pref.webhook_secret
        assert notify.deliver(world.a.org_id) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert hits == ["/hook"]
    with session_scope(org_id=world.a.org_id) as s:
        assert notify.get_preferences(s, world.a.admin_id) is not None
