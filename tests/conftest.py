"""Shared fixtures: a fresh, migrated database per test (SQLite always; PostgreSQL 15 when
``FENGHUO_TEST_DATABASE_URL`` is set), an isolated ``FENGHUO_HOME``, and the shared data dir.

PostgreSQL roles as in production: ``FENGHUO_TEST_DATABASE_URL`` is the owner role (creates the
databases, runs the migrations); ``FENGHUO_TEST_APP_DATABASE_URL`` (printed by
``.ci/start-postgres.sh``) is the application role the tests' code connects as. Without the
latter, the owner's URL serves both.

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


def _pg_app_url() -> str | None:
    """The application role's URL (same server as ``_pg_url``), when the roles are split."""
    return os.environ.get("FENGHUO_TEST_APP_DATABASE_URL") or None


def _on_database(url: str, name: str) -> str:
    return make_url(_psycopg(url)).set(database=name).render_as_string(hide_password=False)


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
    engine = make_engine(_on_database(pg, name))
    app_url = _pg_app_url()
    app_role = make_url(app_url).username if app_url else None
    init_db(engine, app_role=app_role if app_role != engine.url.username else None)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _psycopg(url: str) -> str:
    from fenghuo.core.settings import normalise_database_url

    return normalise_database_url(url)


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
        monkeypatch.delenv("FENGHUO_MIGRATION_DATABASE_URL", raising=False)
        yield get_engine(url)
        dispose_engines()
        return
    name = f"fh_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_psycopg(pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_db_template}"'))
    url = _on_database(_pg_app_url() or pg, name)
    monkeypatch.setenv("FENGHUO_DATABASE_URL", url)
    monkeypatch.setenv("FENGHUO_MIGRATION_DATABASE_URL", _on_database(pg, name))
    yield get_engine(url)
    dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Web fixtures (app, client, world) for every test package.
from tests.webkit import app, client, world  # noqa: E402,F401
