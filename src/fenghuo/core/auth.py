"""Passwords (argon2), login with lockout, and server-side web sessions.

Why server-side sessions: logout and lockout take effect at once, and a stolen database
dump holds only hashes of the session cookies (SHA-256 of 32 random bytes), never a value
that logs anybody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.models import User, WebSession

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class LoginError(Exception):
    """Login refused; ``reason`` is ``invalid``, ``locked`` or ``inactive``."""

    def __init__(self, reason: str, locked_until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.locked_until = locked_until


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def authenticate(session: Session, email: str, password: str, *, now: datetime | None = None) -> User:
    """Check a login; after MAX_FAILED_LOGINS failures the account is locked for LOCKOUT."""
    now = now or datetime.now(UTC)
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        # Same work as a real check so timing does not reveal which emails exist.
        verify_password(_DUMMY_HASH, password)
        raise LoginError("invalid")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise LoginError("locked", locked_until)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.record(session, "lockout", "users", user.id, organisation_id=None)
            session.commit()  # the count must survive the caller's rollback on LoginError
            raise LoginError("locked", user.locked_until)
        session.commit()
        raise LoginError("invalid")
    if not user.is_active:
        raise LoginError("inactive")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


_DUMMY_HASH = _hasher.hash("fenghuo-dummy-password")


def start_web_session(
    session: Session, user: User, organisation_id: int | None, *, now: datetime | None = None
) -> tuple[WebSession, str]:
    """Create a session row; returns it and the cookie value (shown to the browser only)."""
    now = now or datetime.now(UTC)
    cookie_value = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=sha256(cookie_value),
        user_id=user.id,
        organisation_id=organisation_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return row, cookie_value


def resolve_web_session(session: Session, cookie_value: str, *, now: datetime | None = None) -> WebSession | None:
    if not cookie_value:
        return None
    now = now or datetime.now(UTC)
    row = session.scalar(select(WebSession).where(WebSession.token_hash == sha256(cookie_value)))
    if row is None:
        return None
    expires = _aware(row.expires_at)
    if expires is not None and expires <= now:
        session.delete(row)
        return None
    if not row.user.is_active:
        return None
    from fenghuo.core.tokens import touch_due  # tokens imports this module

    if touch_due(row.last_seen_at, now):  # not a write per page view (see touch_due)
        row.last_seen_at = now
    return row


def end_web_session(session: Session, cookie_value: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == sha256(cookie_value)))


def end_all_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
