"""Runtime settings read from the environment.

Why environment variables and not a config file: the same code runs in a developer's
shell, in CI against a throwaway PostgreSQL, and in production; the three differ only in
``FENGHUO_HOME``, ``FENGHUO_DATABASE_URL`` and ``FENGHUO_SHARED``.

Database roles on PostgreSQL: ``FENGHUO_DATABASE_URL`` is the application's connection (a role
that owns nothing); ``FENGHUO_MIGRATION_DATABASE_URL`` (default: the same URL) is the owner
role's, used only by ``fenghuo db upgrade``, which also grants the application role what it may
do. On SQLite there is one URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fenghuo.core.limits import Limits, limits


def _default_home() -> Path:
    return Path(os.path.expanduser("~/.local/share/fenghuo"))


@dataclass(frozen=True)
class Settings:
    """Settings of one process. Build with :func:`get_settings` (reads the environment)."""

    home: Path
    database_url: str
    shared_dir: Path
    secret_key: str
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "fenghuo@localhost"
    max_upload_bytes: int = 20 * 1024 * 1024
    session_max_age_seconds: int = 8 * 3600
    #: The owner role's URL (schema upgrades); the application URL when not set.
    migration_database_url: str = ""
    #: PostgreSQL connection pool per process (the web server runs requests in up to 40 threads).
    db_pool_size: int = 10
    db_max_overflow: int = 20
    #: An API token's ``last_used_at`` is written at most this often (0: on every request).
    token_touch_seconds: int = 300
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def limits(self) -> Limits:
        """Input caps (fields, records, archives, bodies): defaults of :mod:`fenghuo.core.limits`,
        each overridden by ``FENGHUO_LIMIT_<NAME>`` (e.g. ``FENGHUO_LIMIT_REQUEST_BODY_BYTES``)."""
        return limits()

    @property
    def owner_database_url(self) -> str:
        """Where migrations run: the owner role's URL, or the single URL."""
        return self.migration_database_url or self.database_url


def normalise_database_url(url: str) -> str:
    """The one place a configured URL becomes the URL Fenghuo connects with.

    ``postgresql://`` and ``postgres://`` (the form the README and most hosting providers give)
    get the psycopg 3 driver Fenghuo ships with; everything else is kept as written. The result
    keeps the password in clear (``render_as_string(hide_password=False)``): ``str(url)`` masks
    it as ``***``, which is fine for a log line but not for a URL handed on to a connection.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@lru_cache(maxsize=64)
def _normalised_cached(url: str) -> str:
    return normalise_database_url(url)


def _int_env(name: str, default: int) -> int:
    """A whole number of at least 0 from the environment; a malformed value is logged and the
    default used (some of these are read per request, where raising would fail every request)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        _warn_once(f"{name}={raw!r} is not a whole number of at least 0; using {default}")
        return default
    return value


@lru_cache(maxsize=32)
def _warn_once(message: str) -> None:
    import logging

    logging.getLogger("fenghuo.settings").warning(message)


def _secret_key(home: Path) -> str:
    """A per-installation secret, created once in FENGHUO_HOME unless given in the environment."""
    env = os.environ.get("FENGHUO_SECRET_KEY")
    if env:
        return env
    path = home / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        import secrets

        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def database_url_from_env() -> str:
    """The application's database URL, normalised (without reading the rest of the settings:
    this runs for every database session)."""
    raw = os.environ.get("FENGHUO_DATABASE_URL")
    if not raw:
        home = Path(os.environ.get("FENGHUO_HOME") or _default_home())
        raw = f"sqlite:///{home / 'fenghuo.db'}"
    return _normalised_cached(raw)


def token_touch_seconds() -> int:
    """``FENGHUO_TOKEN_TOUCH_SECONDS`` (default 300): see :func:`fenghuo.core.tokens.touch_due`."""
    return _int_env("FENGHUO_TOKEN_TOUCH_SECONDS", 300)


def get_settings() -> Settings:
    """Read the settings from the environment (called per app / CLI invocation, not cached)."""
    home = Path(os.environ.get("FENGHUO_HOME") or _default_home())
    url = database_url_from_env()
    migration_url = os.environ.get("FENGHUO_MIGRATION_DATABASE_URL") or ""
    shared = Path(os.environ.get("FENGHUO_SHARED") or Path.cwd().parent / "shared")
    smtp_host = os.environ.get("FENGHUO_SMTP_HOST") or None
    return Settings(
        home=home,
        database_url=url,
        shared_dir=shared,
        secret_key=_secret_key(home),
        smtp_host=smtp_host,
        smtp_port=int(os.environ.get("FENGHUO_SMTP_PORT", "25")),
        smtp_sender=os.environ.get("FENGHUO_SMTP_SENDER", "fenghuo@localhost"),
        migration_database_url=normalise_database_url(migration_url) if migration_url else "",
        db_pool_size=_int_env("FENGHUO_DB_POOL_SIZE", 10),
        db_max_overflow=_int_env("FENGHUO_DB_MAX_OVERFLOW", 20),
        token_touch_seconds=token_touch_seconds(),
    )


def shared_dir() -> Path:
    """Where the real test data lives (``$FENGHUO_SHARED``, default ``../shared``)."""
    return Path(os.environ.get("FENGHUO_SHARED") or Path.cwd().parent / "shared")

