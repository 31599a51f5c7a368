"""Engines, sessions and schema upgrades.

``session_scope`` is the only way application code opens a session: it binds the caller's
organisation (and user, for the audit log) into ``Session.info`` so that the tenancy filter
and the audit hooks in ``fenghuo.core.tenancy`` / ``fenghuo.core.audit`` see them, and on
PostgreSQL it sets ``app.tenant_id`` for row-level security at the start of every
transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from fenghuo.core import audit as _audit  # noqa: F401  (registers audit hooks)
from fenghuo.core import tenancy as _tenancy  # noqa: F401  (registers the tenancy filter)
from fenghuo.core.models import Base
from fenghuo.core.settings import get_settings, normalise_database_url

_engines: dict[str, Engine] = {}
# Created by migration 0012 (see fenghuo.core.tenancy.platform_scope).
_RLS_KEY_TABLE = "fenghuo_rls_key"
_OPEN_SCOPE_FUNCTION = "fenghuo_open_platform_scope(text, integer, integer, text)"
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: foreign keys, and the settings that let readers and writers overlap.

    WAL lets readers proceed while one writer commits (the default rollback journal makes every
    reader wait for it); ``synchronous=NORMAL`` is safe with WAL (a power cut may lose the last
    commits, never corrupt the file); ``busy_timeout`` makes a second writer wait its turn instead
    of failing with "database is locked".
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")  # stays "memory" for an in-memory database
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine with the settings Fenghuo relies on (foreign keys on SQLite, etc.)."""
    url = normalise_database_url(url)
    parsed = make_url(url)
    settings = get_settings()
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)
    elif parsed.get_backend_name() == "postgresql":
        # One pool per process; the web server runs up to 40 requests at once in threads, so the
        # default of 5 (+10) would make requests queue for a connection rather than for work.
        kwargs.update(
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_pre_ping=True,  # a server restart costs one retry, not a failed request
            pool_recycle=1800,
        )
    engine = create_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database), created once per process."""
    url = normalise_database_url(url or get_settings().database_url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    # Alembic's ini-style options interpolate "%": a URL-encoded password ("p%40ss") must be escaped.
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def init_db(engine: Engine | None = None, *, app_role: str | None = None) -> None:
    """Bring the schema to the newest migration (what ``fenghuo db upgrade`` runs).

    Without ``engine`` it runs on the owner role's URL (``FENGHUO_MIGRATION_DATABASE_URL``, or the
    single URL). On PostgreSQL, when the application connects as another role (``app_role``; by
    default the user name of ``FENGHUO_DATABASE_URL`` when it differs from the owner's), that role
    is then granted what the application may do — see :func:`grant_application_role`.
    """
    from alembic import command

    import fenghuo.models_registry  # noqa: F401  (every domain's models on Base.metadata)

    if engine is None:
        settings = get_settings()
        engine = get_engine(settings.owner_database_url)
        if app_role is None and settings.migration_database_url:
            app_user = make_url(settings.database_url).username
            if app_user and app_user != engine.url.username:
                app_role = app_user
    command.upgrade(alembic_config(engine), "heads")  # domains may branch; a merge revision joins them
    if app_role and engine.dialect.name == "postgresql":
        grant_application_role(engine, app_role)


def grant_application_role(engine: Engine, role: str) -> None:
    """Grant the application role (which owns nothing) exactly what the application does.

    Data in every table (SELECT, INSERT, UPDATE, DELETE), except the audit log (SELECT and INSERT
    only: its rows are never changed) and Alembic's version table (SELECT); USAGE on sequences;
    EXECUTE on the audited platform-scope function. Not granted, because only the owner can:
    ALTER TABLE (so no disabling the audit trigger or row-level security) and reading the key
    that makes a platform scope valid. Run after every upgrade, so new tables are covered.
    """
    if engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer.quote
    who = quote(role)
    with engine.begin() as conn:
        schema = quote(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {who}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
            f"REVOKE UPDATE, DELETE ON audit_log FROM {who}",
            f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {who}",
            f"REVOKE ALL ON {_RLS_KEY_TABLE} FROM {who}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
            f"GRANT EXECUTE ON FUNCTION {_OPEN_SCOPE_FUNCTION} TO {who}",
        ):
            conn.exec_driver_sql(statement)


@contextmanager
def session_scope(
    *,
    org_id: int | None,
    user_id: int | None = None,
    platform_admin: bool = False,
    actor_label: str = "",
    engine: Engine | None = None,
) -> Iterator[Session]:
    """A transaction bound to one organisation: commits on success, rolls back on error.

    Queries of ``TenantScoped`` models see only rows of ``org_id`` and rows granted to it;
    ``platform_admin=True`` lifts the filter (platform administration and the CLI's
    organisation-less commands).
    """
    engine = engine or get_engine()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    session.info.update(
        org_id=org_id, user_id=user_id, platform_admin=platform_admin, actor_label=actor_label
    )
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


__all__ = [
    "Base",
    "dispose_engines",
    "get_engine",
    "grant_application_role",
    "init_db",
    "make_engine",
    "session_scope",
]
