"""Runtime settings read from the environment.

Why environment variables and not a config file: the same code runs in a developer's
shell, in CI against a throwaway PostgreSQL, and in production; the three differ only in
``FENGHUO_HOME``, ``FENGHUO_DATABASE_URL`` and ``FENGHUO_SHARED``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


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
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


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


def get_settings() -> Settings:
    """Read the settings from the environment (called per app / CLI invocation, not cached)."""
    home = Path(os.environ.get("FENGHUO_HOME") or _default_home())
    url = os.environ.get("FENGHUO_DATABASE_URL") or f"sqlite:///{home / 'fenghuo.db'}"
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
    )


def shared_dir() -> Path:
    """Where the real test data lives (``$FENGHUO_SHARED``, default ``../shared``)."""
    return Path(os.environ.get("FENGHUO_SHARED") or Path.cwd().parent / "shared")
