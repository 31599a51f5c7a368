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
