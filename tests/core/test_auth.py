"""Passwords, lockout, sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from fenghuo.core import auth, orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.errors import PermissionDenied, ValidationFailed
from fenghuo.core.models import ApiToken, User, WebSession


@pytest.fixture
def member(db_engine: Engine) -> tuple[int, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, "A", "enterprise")
        user = orgs.create_user(s, "Ann@Example.com", "correct-horse-1")
        orgs.add_member(s, org.id, user.id, "admin")
        return user.id, org.id


def test_password_is_argon2_and_verifies(member: tuple[int, int]) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        user = s.get(User, member[0])
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert auth.verify_password(user.password_hash, "correct-horse-1")
        assert not auth.verify_password(user.password_hash, "wrong")


def _fail(email: str, now: datetime, address: str | None = "10.0.0.1", password: str = "bad") -> auth.LoginError:
    with pytest.raises(auth.LoginError) as exc, session_scope(org_id=None, platform_admin=True) as s:
        auth.authenticate(s, email, password, address=address, now=now)
    return exc.value


def test_login_is_case_insensitive_and_throttles_instead_of_locking(member: tuple[int, int]) -> None:
    now = datetime.now(UTC)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert auth.authenticate(s, "ann@example.com", "correct-horse-1", now=now).id == member[0]
    for _ in range(auth.ACCOUNT_FREE_FAILURES):
        assert _fail("ann@example.com", now).reason == "invalid"
    # Past the free failures the account must wait 1 s — even the right password is refused …
    refused = _fail("ann@example.com", now, password="correct-horse-1")
    assert refused.reason == "throttled" and refused.retry_after == 1
    # … and is accepted once the wait is over: no 15-minute lock anybody can trigger.
    with session_scope(org_id=None, platform_admin=True) as s:
        later = now + timedelta(seconds=2)
        assert auth.authenticate(s, "ann@example.com", "correct-horse-1", address="10.0.0.1", now=later).id == member[0]
    # Success cleared the account's counter.
    assert _fail("ann@example.com", now + timedelta(seconds=3)).reason == "invalid"


def test_wait_grows_exponentially_up_to_the_cap(member: tuple[int, int]) -> None:
    now = datetime.now(UTC)
    waits = []
    for _ in range(auth.ACCOUNT_FREE_FAILURES + 12):
        error = _fail("ann@example.com", now, address=None)
        if error.reason == "throttled":
            now += timedelta(seconds=error.retry_after or 0)
            error = _fail("ann@example.com", now, address=None)
        assert error.reason == "invalid"
        with session_scope(org_id=None, platform_admin=True) as s:
            waits.append(auth.throttle_wait(s, "ann@example.com", None, now=now))
    assert waits[: auth.ACCOUNT_FREE_FAILURES - 1] == [0] * (auth.ACCOUNT_FREE_FAILURES - 1)
    assert waits[auth.ACCOUNT_FREE_FAILURES - 1: auth.ACCOUNT_FREE_FAILURES + 3] == [1, 2, 4, 8]
    assert waits[-1] == int(auth.THROTTLE_MAX_DELAY.total_seconds())


def test_unknown_accounts_are_counted_and_answered_like_known_ones(member: tuple[int, int]) -> None:
    now = datetime.now(UTC)
    answers = {}
    for email in ("ann@example.com", "nobody@example.com"):
        seen = [(_fail(email, now, address=None).reason) for _ in range(auth.ACCOUNT_FREE_FAILURES + 1)]
        answers[email] = seen
    assert answers["ann@example.com"] == answers["nobody@example.com"]
    assert answers["nobody@example.com"][-1] == "throttled" and "locked" not in answers["nobody@example.com"]


def test_one_address_spraying_many_accounts_is_throttled(member: tuple[int, int]) -> None:
    now = datetime.now(UTC)
    reasons = [_fail(f"user{i}@example.com", now, address="203.0.113.9").reason
               for i in range(auth.ADDRESS_FREE_FAILURES + 1)]
    assert reasons[:-1] == ["invalid"] * auth.ADDRESS_FREE_FAILURES and reasons[-1] == "throttled"
    # Another address is not affected.
    assert _fail("user0@example.com", now, address="198.51.100.1").reason == "invalid"


def test_over_long_password_is_refused_without_checking_it(member: tuple[int, int]) -> None:
    assert _fail("ann@example.com", datetime.now(UTC), password="correct-horse-1" + "x" * 200_000).reason == "invalid"


def test_unknown_user_is_invalid(member: tuple[int, int]) -> None:
    with pytest.raises(auth.LoginError) as exc, session_scope(org_id=None, platform_admin=True) as s:
        auth.authenticate(s, "nobody@example.com", "x")
    assert exc.value.reason == "invalid"


def test_web_session_stores_only_a_hash_and_expires(member: tuple[int, int]) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        user = s.get(User, member[0])
        assert user is not None
        row, cookie = auth.start_web_session(s, user, member[1])
        assert row.token_hash != cookie and cookie not in row.token_hash
    with session_scope(org_id=None, platform_admin=True) as s:
        assert auth.resolve_web_session(s, cookie) is not None
        assert auth.resolve_web_session(s, cookie + "x") is None
        future = datetime.now(UTC) + auth.SESSION_LIFETIME + timedelta(minutes=1)
        assert auth.resolve_web_session(s, cookie, now=future) is None
    with session_scope(org_id=None, platform_admin=True) as s:
        assert s.scalar(select(WebSession)) is None  # expired session was removed


def test_tokens_are_hashed_scoped_revocable_and_track_last_use(member: tuple[int, int]) -> None:
    uid, oid = member
    with session_scope(org_id=oid, user_id=uid) as s:
        user = s.get(User, uid)
        assert user is not None
        row, plaintext = tokens.create_token(s, user, oid, "ci", "write")
        assert row.scopes == "read write"
        assert plaintext.startswith(f"fh_{row.prefix}_")
        token_id = row.id
    with session_scope(org_id=None, platform_admin=True) as s:
        stored = s.get(ApiToken, token_id)
        assert stored is not None and plaintext not in stored.token_hash and stored.last_used_at is None
        resolved = tokens.resolve_token(s, plaintext)
        assert resolved is not None and resolved.id == token_id
    with session_scope(org_id=None, platform_admin=True) as s:
        stored = s.get(ApiToken, token_id)
        assert stored is not None and stored.last_used_at is not None
        user = s.get(User, uid)
        assert user is not None
        tokens.revoke_token(s, token_id, user)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert tokens.resolve_token(s, plaintext) is None


def test_token_needs_membership_and_valid_scope(member: tuple[int, int]) -> None:
    uid, oid = member
    with session_scope(org_id=None, platform_admin=True) as s:
        other = orgs.create_organisation(s, "B", "enterprise")
        user = s.get(User, uid)
        assert user is not None
        with pytest.raises(PermissionDenied):
            tokens.create_token(s, user, other.id, "x", "read")
        with pytest.raises(ValidationFailed) as exc:
            tokens.create_token(s, user, oid, "x", "admin")
        assert exc.value.field == "scopes"
