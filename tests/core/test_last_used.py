"""Reads do not write on every request: last-used / last-seen times are coalesced, and SQLite
runs in WAL mode so readers do not wait for the writer. (Timings: ``bench/load_api.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text

from fenghuo.core import tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import ApiToken, WebSession
from tests.webkit import World, bearer, login

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _last_used(token_id: int) -> datetime | None:
    with session_scope(org_id=None, platform_admin=True) as s:
        row = s.get(ApiToken, token_id)
        assert row is not None
        return None if row.last_used_at is None else row.last_used_at.replace(tzinfo=UTC)


def _resolve(plaintext: str, now: datetime) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        assert tokens.resolve_token(s, plaintext, now=now) is not None


@pytest.fixture
def writes(db_engine: Engine) -> Iterator[list[str]]:
    """Every UPDATE / INSERT / DELETE statement sent to the database while the test runs."""
    seen: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"UPDATE", "INSERT", "DELETE"}:
            seen.append(statement)

    event.listen(db_engine, "before_cursor_execute", spy)
    yield seen
    event.remove(db_engine, "before_cursor_execute", spy)


def test_last_used_is_written_at_most_every_five_minutes(world: World) -> None:
    token_id = world.a.objects["token_id"]
    _resolve(world.a.write_token, T0)
    assert _last_used(token_id) == T0
    _resolve(world.a.write_token, T0 + timedelta(minutes=4, seconds=59))
    assert _last_used(token_id) == T0  # not due yet: no write
    _resolve(world.a.write_token, T0 + timedelta(minutes=5))
    assert _last_used(token_id) == T0 + timedelta(minutes=5)


def test_touch_interval_zero_writes_on_every_use(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_TOKEN_TOUCH_SECONDS", "0")
    token_id = world.a.objects["token_id"]
    _resolve(world.a.write_token, T0)
    _resolve(world.a.write_token, T0 + timedelta(seconds=1))
    assert _last_used(token_id) == T0 + timedelta(seconds=1)


def test_touch_interval_must_be_a_number(monkeypatch: pytest.MonkeyPatch, fenghuo_home: object) -> None:
    from fenghuo.core.settings import get_settings

    monkeypatch.setenv("FENGHUO_TOKEN_TOUCH_SECONDS", "five")
    with pytest.raises(ValueError, match="FENGHUO_TOKEN_TOUCH_SECONDS"):
        get_settings()


def test_a_token_read_writes_nothing_the_second_time(world: World, client: TestClient, writes: list[str]) -> None:
    assert client.get("/api/v1/me", headers=bearer(world.a.read_token)).status_code == 200
    assert any("api_tokens" in w for w in writes)  # first use: last_used_at is recorded
    writes.clear()
    for _ in range(3):
        assert client.get("/api/v1/me", headers=bearer(world.a.read_token)).status_code == 200
    assert writes == []


def test_a_page_view_does_not_write_last_seen_each_time(world: World, client: TestClient, writes: list[str]) -> None:
    login(client, world.a.admin_email)
    with session_scope(org_id=None, platform_admin=True) as s:
        seen = s.scalars(select(WebSession.last_seen_at)).all()
    assert len(seen) == 1
    writes.clear()
    for _ in range(3):
        assert client.get("/account").status_code == 200
    assert not [w for w in writes if "web_sessions" in w]


def test_sqlite_runs_in_wal_mode(db_engine: Engine) -> None:
    if db_engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
