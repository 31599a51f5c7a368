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


def test_login_is_case_insensitive_and_locks_after_failures(member: tuple[int, int]) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        assert auth.authenticate(s, "ann@example.com", "correct-horse-1").id == member[0]
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        with pytest.raises(auth.LoginError) as exc, session_scope(org_id=None, platform_admin=True) as s:
            auth.authenticate(s, "ann@example.com", "bad")
        assert exc.value.reason == "invalid"
    with pytest.raises(auth.LoginError) as exc, session_scope(org_id=None, platform_admin=True) as s:
        auth.authenticate(s, "ann@example.com", "bad")
    assert exc.value.reason == "locked"
    # Even the right password is refused while locked …
    with pytest.raises(auth.LoginError) as exc, session_scope(org_id=None, platform_admin=True) as s:
        auth.authenticate(s, "ann@example.com", "correct-horse-1")
    assert exc.value.reason == "locked"
    # … and accepted after the lockout.
    later = datetime.now(UTC) + auth.LOCKOUT + timedelta(seconds=1)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert auth.authenticate(s, "ann@example.com", "correct-horse-1", now=later).id == member[0]


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
