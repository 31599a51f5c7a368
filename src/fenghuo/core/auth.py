"""Passwords (argon2), login with progressive throttling, and server-side web sessions.

Why server-side sessions: logout takes effect at once, and a stolen database dump holds only
hashes of the session cookies (SHA-256 of 32 random bytes), never a value that logs anybody in.

Why throttling instead of a lock: a hard lock after five failures let anybody lock any
account (the platform administrator's too) and, answering "locked" only for existing
accounts, told which accounts exist. Failures are now counted per attempted e-mail and per
client address (``login_throttles``, both keys hashed) whether or not the account exists;
past a few free failures each further one makes the key wait exponentially longer (capped).
Unknown e-mails pay the same argon2 verification as known ones, so neither the answer nor
its timing reveals an account. Every failure is audited.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.models import LoginThrottle, Membership, User, WebSession
from fenghuo.core.passwords import MAX_PASSWORD_LENGTH

#: Failures of one attempted e-mail before each further one makes it wait.
ACCOUNT_FREE_FAILURES = 5
#: Failures from one client address (across e-mails: password spraying) before it waits.
ADDRESS_FREE_FAILURES = 20
#: The first wait; it doubles with every further failure …
THROTTLE_BASE_DELAY = timedelta(seconds=1)
#: … up to this.
THROTTLE_MAX_DELAY = timedelta(minutes=15)
#: A counter whose last failure is older than this starts again from zero.
FAILURE_WINDOW = timedelta(hours=1)
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
    """Login refused; ``reason`` is ``invalid``, ``throttled`` or ``inactive``.

    ``retry_after`` (seconds) is set for ``throttled``. Unknown and known accounts get the same
    reasons: ``inactive`` only after the right password of a disabled account.
    """

    def __init__(self, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _throttle_keys(email: str, address: str | None) -> list[tuple[str, int]]:
    keys = [("a:" + sha256(normalize_email(email)), ACCOUNT_FREE_FAILURES)]
    if address:
        keys.append(("i:" + sha256(address), ADDRESS_FREE_FAILURES))
    return keys


def _delay(failures: int, free: int) -> timedelta | None:
    """The wait after ``failures`` failures: none up to ``free - 1``, then 1 s, 2 s, 4 s, … (capped)."""
    if failures < free:
        return None
    exponent = min(failures - free, 20)
    return min(THROTTLE_BASE_DELAY * (2**exponent), THROTTLE_MAX_DELAY)


def throttle_wait(session: Session, email: str, address: str | None, *, now: datetime | None = None) -> int:
    """Seconds the attempt must still wait (0: it may try now)."""
    now = now or datetime.now(UTC)
    keys = [k for k, _free in _throttle_keys(email, address)]
    wait = 0.0
    for row in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))):
        blocked = _aware(row.blocked_until)
        if blocked is not None and blocked > now:
            wait = max(wait, (blocked - now).total_seconds())
    return math.ceil(wait)


def _count_failure(session: Session, key: str, free: int, now: datetime) -> None:
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    if row is None:
        try:
            with session.begin_nested():
                row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                session.add(row)
        except IntegrityError:  # another process counted the first failure at the same moment
            row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
            assert row is not None
    last = _aware(row.last_failure_at)
    if last is not None and last < now - FAILURE_WINDOW:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = _delay(row.failures, free)
    row.blocked_until = now + delay if delay is not None else None


def _first_org(session: Session, user_id: int) -> int | None:
    return session.scalar(
        select(Membership.organisation_id).where(Membership.user_id == user_id).order_by(Membership.id).limit(1)
    )


@dataclass(frozen=True)
class _Attempt:
    email: str
    address: str | None
    user: User | None

    def audit(self, session: Session, action: str, reason: str) -> None:
        """One audit entry: the user and their organisation, or (unknown) only a hash of the e-mail."""
        after: dict[str, str | None] = {"reason": reason, "address": self.address}
        if self.user is None:
            after["email_sha256"] = sha256(normalize_email(self.email))
            audit.record(session, action, "users", None, after=after, organisation_id=None)
        else:
            audit.record(session, action, "users", self.user.id, after=after,
                         organisation_id=_first_org(session, self.user.id))


def authenticate(
    session: Session, email: str, password: str, *, address: str | None = None, now: datetime | None = None
) -> User:
    """Check a login (``address``: the client's, for the per-address throttle).

    Refusals commit their counters and audit entries before raising: the caller's session
    scope rolls back on the exception.
    """
    now = now or datetime.now(UTC)
    user = session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))
    attempt = _Attempt(email, address, user)
    wait = throttle_wait(session, email, address, now=now)
    if wait > 0:
        attempt.audit(session, "login_throttled", "throttled")
        session.commit()
        raise LoginError("throttled", retry_after=wait)
    # Unknown e-mail: the same argon2 work as a real check so timing does not reveal which exist.
    # An over-long password is never checked against the real hash (no policy lets one be set).
    real = user is not None and len(password) <= MAX_PASSWORD_LENGTH
    ok = verify_password(user.password_hash if real and user is not None else _DUMMY_HASH,
                         password[:MAX_PASSWORD_LENGTH]) and real
    if user is None or not ok:
        for key, free in _throttle_keys(email, address):
            _count_failure(session, key, free, now)
        attempt.audit(session, "login_failed", "unknown account" if user is None else "wrong password")
        session.commit()
        raise LoginError("invalid")
    if not user.is_active:
        attempt.audit(session, "login_failed", "inactive")
        session.commit()
        raise LoginError("inactive")
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == _throttle_keys(email, None)[0][0]))
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_current_password(
    session: Session, user: User, password: str, *, address: str | None = None, now: datetime | None = None
) -> bool:
    """Verify the password a logged-in user re-enters (to change it), throttled like a login.

    A wrong one counts as a failed login of the account and is audited (committed at once);
    raises ``LoginError("throttled")`` while the account or address must wait.
    """
    now = now or datetime.now(UTC)
    attempt = _Attempt(user.email, address, user)
    wait = throttle_wait(session, user.email, address, now=now)
    if wait > 0:
        attempt.audit(session, "login_throttled", "throttled (password change)")
        session.commit()
        raise LoginError("throttled", retry_after=wait)
    if len(password) <= MAX_PASSWORD_LENGTH and verify_password(user.password_hash, password):
        return True
    for key, free in _throttle_keys(user.email, address):
        _count_failure(session, key, free, now)
    attempt.audit(session, "login_failed", "wrong current password")
    session.commit()
    return False


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
