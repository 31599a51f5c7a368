"""Web fixtures: the app on a fresh database with two organisations, users, tokens and data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import User

PASSWORD = "correct-horse-battery"


@dataclass
class Tenant:
    org_id: int
    org_name: str
    admin_email: str
    admin_id: int
    viewer_email: str
    write_token: str
    read_token: str
    viewer_token: str
    objects: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    a: Tenant
    b: Tenant
    platform_email: str
    platform_token: str


def _tenant(name: str, prefix: str) -> Tenant:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, "enterprise", region="Zhejiang")
        admin = orgs.create_user(s, f"{prefix}-admin@example.com", PASSWORD, display_name=f"{prefix} admin")
        viewer = orgs.create_user(s, f"{prefix}-viewer@example.com", PASSWORD)
        orgs.add_member(s, org.id, admin.id, "admin")
        orgs.add_member(s, org.id, viewer.id, "viewer")
        user = s.get(User, admin.id)
        assert user is not None
        write_row, write = tokens.create_token(s, user, org.id, "write", "read write")
        _r, read = tokens.create_token(s, user, org.id, "read", "read")
        vuser = s.get(User, viewer.id)
        assert vuser is not None
        _v, viewer_token = tokens.create_token(s, vuser, org.id, "viewer", "read write")
        return Tenant(org.id, name, admin.email, admin.id, viewer.email, write, read, viewer_token,
                      {"org_id": org.id, "user_id": admin.id, "token_id": write_row.id})


@pytest.fixture
def world(db_engine: Engine) -> World:
    a = _tenant("Alpha Secret Org", "alpha")
    b = _tenant("Beta Org", "beta")
    with session_scope(org_id=None, platform_admin=True) as s:
        pa = orgs.create_user(s, "root@example.com", PASSWORD, platform_admin=True)
        orgs.add_member(s, b.org_id, pa.id, "viewer")
        user = s.get(User, pa.id)
        assert user is not None
        _row, platform_token = tokens.create_token(s, user, b.org_id, "platform", "read write")
    return World(a, b, "root@example.com", platform_token)


@pytest.fixture
def app(db_engine: Engine):  # type: ignore[no-untyped-def]
    from fenghuo.web.app import create_app

    return create_app()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text),
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


@contextmanager
def demo_app_in(home: Path, *, shared_sample: bool = True) -> Iterator[Any]:
    """The demo loaded into a throwaway FENGHUO_HOME on SQLite (whatever database the suite runs on:
    the pages are the same), yielding the application; for the crawl, dashboards and screenshots.

    On CI's PostgreSQL pass these tests would repeat the SQLite pass to the letter (the demo home is
    SQLite), so they are skipped there.
    """
    import os

    if os.environ.get("FENGHUO_TEST_DATABASE_URL"):
        pytest.skip("the demo runs on SQLite; the SQLite pass covers these pages")
    from fenghuo.core.db import dispose_engines, init_db, make_engine
    from fenghuo.demo import load_demo
    from fenghuo.web.app import create_app

    url = f"sqlite:///{home / 'fenghuo.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FENGHUO_HOME", str(home))
        mp.setenv("FENGHUO_DATABASE_URL", url)
        mp.delenv("FENGHUO_TEST_DATABASE_URL", raising=False)
        engine = make_engine(url)
        init_db(engine)
        engine.dispose()
        load_demo(shared_sample=shared_sample)
        yield create_app()
        dispose_engines()
