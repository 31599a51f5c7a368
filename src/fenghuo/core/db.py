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
from fenghuo.core.settings import get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine with the settings Fenghuo relies on (foreign keys on SQLite, etc.)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database), created once per process."""
    url = url or get_settings().database_url
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
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def init_db(engine: Engine | None = None) -> None:
    """Bring the schema to the newest migration (what ``fenghuo db upgrade`` runs)."""
    from alembic import command

    import fenghuo.models_registry  # noqa: F401  (every domain's models on Base.metadata)

    engine = engine or get_engine()
    command.upgrade(alembic_config(engine), "heads")  # domains may branch; a merge revision joins them


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
    "init_db",
    "make_engine",
    "session_scope",
]
