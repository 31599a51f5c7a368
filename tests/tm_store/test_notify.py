"""Notifications: signed webhooks (verifiable by the receiver), SMTP e-mail, daily digests,
each alert sent once; channel input validated."""

from __future__ import annotations

import json
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.models import utcnow
from fenghuo.tm.ingest import ingest_paths
from fenghuo.tm.models import Alert
from fenghuo.tm.notify import create_channel, notify_new, send_digests, verify
from fenghuo.tm.portfolio import import_marks
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.runs import run_for_org


@pytest.fixture
def org_id(db_engine: Engine, register_csv: Path, portfolio_csv: Path) -> int:
    ingest_paths([register_csv])
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, "Notified Co", "enterprise").id
    marks, _errors = read_portfolio(portfolio_csv)
    with session_scope(org_id=org) as s:
        import_marks(s, org, marks)
    run_for_org(org, workers=1)
    return org


class Receiver:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200)


def test_webhook_is_signed_and_sent_once(org_id: int) -> None:
    with session_scope(org_id=org_id) as s:
        channel = create_channel(s, org_id, "webhook", "https://hooks.example.com/fenghuo", min_level="high")
        secret = channel.secret
    assert secret and len(secret) > 30
    receiver = Receiver()
    client = httpx.Client(transport=httpx.MockTransport(receiver))
    sent = notify_new(org_id, client=client)
    assert sent >= 3 and len(receiver.requests) == 1
    request = receiver.requests[0]
    body = request.content
    assert verify(secret, request.headers["X-Fenghuo-Timestamp"], body, request.headers["X-Fenghuo-Signature"])
    assert not verify("wrong-secret", request.headers["X-Fenghuo-Timestamp"], body,
                      request.headers["X-Fenghuo-Signature"])
    payload = json.loads(body)
    assert payload["event"] == "tm.alerts" and all(a["level"] == "high" for a in payload["alerts"])
    assert any(a["register_mark"]["mark"] == "YILI" and a["deadline"] for a in payload["alerts"])
    # Sent once: a second call sends nothing.
    assert notify_new(org_id, client=client) == 0 and len(receiver.requests) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_email_goes_through_smtp(org_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("FENGHUO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FENGHUO_SMTP_PORT", str(port))
        with session_scope(org_id=org_id) as s:
            create_channel(s, org_id, "email", "legal@notified.example", min_level="medium")
        assert notify_new(org_id) >= 3
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(received) == 1 and received[0].rcpt_tos == ["legal@notified.example"]
    text = received[0].content.decode("utf-8", "replace")
    assert "YILI" in text and "Deadline" in text


def test_daily_digest_sends_what_is_new_since_last_digest(org_id: int) -> None:
    with session_scope(org_id=org_id) as s:
        create_channel(s, org_id, "webhook", "https://hooks.example.com/digest", mode="digest", min_level="low")
        total = len(list(s.scalars(select(Alert))))
    receiver = Receiver()
    client = httpx.Client(transport=httpx.MockTransport(receiver))
    assert send_digests(org_id, client=client) == total
    assert json.loads(receiver.requests[0].content)["event"] == "tm.digest"
    # Nothing new since: the next day's digest is empty and sends no request.
    assert send_digests(org_id, client=client, now=utcnow() + timedelta(days=1)) == 0
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(("kind", "target", "field"), [
    ("sms", "+86 123", "kind"), ("email", "not-an-address", "target"), ("webhook", "ftp://x", "target")])
def test_channel_input_is_validated(org_id: int, kind: str, target: str, field: str) -> None:
    with session_scope(org_id=org_id) as s, pytest.raises(ValidationFailed) as exc:
        create_channel(s, org_id, kind, target)
    assert exc.value.field == field


# --- outbound gate (issue #9): webhook channels never reach inside the server's network ------------------


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:8799/internal-admin", "https://127.0.0.1:8799/internal-admin", "https://localhost/x",
    "https://169.254.169.254/latest/meta-data/", "https://[::ffff:127.0.0.1]/x", "https://10.0.0.5/hook",
    "https://100.100.100.200/x", "https://[fd00:ec2::254]/x"])
def test_inside_webhook_targets_are_refused_when_saved(org_id: int, target: str) -> None:
    with session_scope(org_id=org_id) as s, pytest.raises(ValidationFailed) as exc:
        create_channel(s, org_id, "webhook", target)
    assert exc.value.field == "target"


class _LocalReceiver:
    """A real HTTP server on 127.0.0.1 that records what reaches it (the 'internal admin' port)."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits = self.hits = []  # type: list[tuple[str, bytes, dict[str, str]]]

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hits.append((self.path, body, dict(self.headers)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _plant_channel(org_id: int, target: str) -> int:
    """A channel saved before the gate existed (straight into the table, as an old row would be)."""
    from fenghuo.tm.models import NotificationChannel

    with session_scope(org_id=org_id) as s:
        row = NotificationChannel(organisation_id=org_id, kind="webhook", target=target, mode="immediate",
                                  min_level="low", secret="old-secret")
        s.add(row)
        s.flush()
        return row.id


def test_cli_notify_send_posts_nothing_to_loopback(org_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported attack: `fenghuo tm notify send` POSTed a signed body to 127.0.0.1:PORT/internal-admin."""
    from typer.testing import CliRunner

    from fenghuo.cli.main import app
    from fenghuo.tm.models import NotificationChannel

    monkeypatch.delenv("FENGHUO_OUTBOUND_ALLOW", raising=False)
    receiver = _LocalReceiver()
    try:
        channel_id = _plant_channel(org_id, f"http://127.0.0.1:{receiver.port}/internal-admin")
        added = CliRunner().invoke(app, ["tm", "notify", "add", "webhook",
                                         f"http://127.0.0.1:{receiver.port}/internal-admin", "--org", str(org_id)])
        assert added.exit_code == 2 and "target" in added.output
        result = CliRunner().invoke(app, ["tm", "notify", "send", "--org", str(org_id)])
        assert result.exit_code == 0, result.output
    finally:
        receiver.close()
    assert receiver.hits == []
    with session_scope(org_id=org_id) as s:
        row = s.get(NotificationChannel, channel_id)
        assert row is not None and row.active is False  # switched off, the others still served


def test_allow_listed_local_receiver_gets_the_signed_post(org_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """An on-premise receiver is reached only when the operator allow-lists it explicitly."""
    monkeypatch.setenv("FENGHUO_OUTBOUND_ALLOW", "127.0.0.1")
    receiver = _LocalReceiver()
    try:
        with session_scope(org_id=org_id) as s:
            channel = create_channel(s, org_id, "webhook", f"http://127.0.0.1:{receiver.port}/hook",
                                     min_level="high")
            secret = channel.secret
        assert secret and notify_new(org_id) >= 3
    finally:
        receiver.close()
    [(path, body, headers)] = receiver.hits
    assert path == "/hook" and verify(secret, headers["X-Fenghuo-Timestamp"], body, headers["X-Fenghuo-Signature"])


def test_api_and_page_refuse_inside_channels(client: Any, world: Any) -> None:
    from tests.webkit import bearer, csrf_of, login

    r = client.post("/api/v1/tm/channels", headers=bearer(world.a.write_token),
                    json={"kind": "webhook", "target": "http://127.0.0.1:8799/internal-admin"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target"
    login(client, world.a.admin_email)
    page = client.get("/tm/settings")
    form = client.post("/tm/settings/channels", data={"kind": "webhook", "csrf_token": csrf_of(page.text),
                                                      "target": "https://169.254.169.254/latest/meta-data/"})
    assert form.status_code == 422 and "does not connect there" in form.text
