"""Shared fixtures: a fresh, migrated database per test (SQLite always; PostgreSQL 15 when
``FENGHUO_TEST_DATABASE_URL`` is set), an isolated ``FENGHUO_HOME``, and the shared data dir.

Why templates: migrating once per session and copying (a file on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL) gives every test a pristine schema in milliseconds.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("FENGHUO_SHARED", str(ROOT.parent / "shared"))
os.environ.setdefault("FENGHUO_SECRET_KEY", "test-secret-key")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = Path(os.environ["FENGHUO_SHARED"])
    if not (path / "data").is_dir():
        pytest.skip(f"shared data not found at {path} (set FENGHUO_SHARED)")
    return path


def _pg_url() -> str | None:
    return os.environ.get("FENGHUO_TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated template: a SQLite file path, or a PostgreSQL template database name."""
    from fenghuo.core.db import init_db, make_engine

    pg = _pg_url()
    if pg is None:
        path = tmp_path_factory.mktemp("dbtemplate") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        init_db(engine)
        engine.dispose()
        yield str(path)
        return
    name = f"fh_tpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_psycopg(pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(_psycopg(pg)).set(database=name).render_as_string(hide_password=False))
    init_db(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture
def fenghuo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FENGHUO_HOME", str(home))
    return home


@pytest.fixture
def db_engine(
    _db_template: str, tmp_path: Path, fenghuo_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """A fresh migrated database, also made the default (``FENGHUO_DATABASE_URL``) for the test."""
    from fenghuo.core.db import dispose_engines, get_engine

    pg = _pg_url()
    if pg is None:
        path = tmp_path / "fenghuo.db"
        shutil.copyfile(_db_template, path)
        url = f"sqlite:///{path}"
        monkeypatch.setenv("FENGHUO_DATABASE_URL", url)
        yield get_engine(url)
        dispose_engines()
        return
    name = f"fh_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_psycopg(pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_db_template}"'))
    url = make_url(_psycopg(pg)).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("FENGHUO_DATABASE_URL", url)
    yield get_engine(url)
    dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Web fixtures (app, client, world) for every test package.
from tests.webkit import app, client, world  # noqa: E402,F401
